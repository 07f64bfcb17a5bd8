/**
 * Issue 16: a sidecar killed (SIGKILL) in the middle of a restart. A real sidecar runs as a transient
 * unit inside the systemd sandbox and restarts a real unit whose stop takes 3 s; it is killed while
 * systemd is stopping that unit and started again. The operator reads, through the API in both
 * languages, that the restart was interrupted and not run again, and the unit's state now; systemd
 * shows the unit was started exactly twice (its first start and the one restart).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { freePort } from "../sidecar-actions/harness.ts";
import { repo } from "../support/child.ts";
import { installUnit, type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

const TOKEN = "interrupt-admin-token-0001";
const KEY = "interrupt-sidecar-key-0001";
const INVENTORY = JSON.stringify({ vms: { local: { role: "this machine", services: ["slowstop"] } } });
const STARTS = "/var/tmp/voxops-slowstop/starts";

let sandbox: SystemdSandbox;
let host: NodeHost;
let sidecarRuns = 0;

/** Starts the sidecar inside the sandbox as a transient unit (so it can be killed by its unit). */
async function startSidecar(): Promise<string> {
  sidecarRuns += 1;
  const unit = `voxops-sidecar-${sidecarRuns}`;
  await sandbox.exec([
    "systemd-run",
    `--unit=${unit}`,
    `--setenv=VOXOPS_SIDECAR_KEY=${KEY}`,
    "--setenv=VOXOPS_HEARTBEAT_S=0.5",
    "--setenv=VOXOPS_QUIET=1",
    `${repo}/node_modules/node/bin/node`,
    `${repo}/bin/voxops.js`,
    "sidecar",
    "--controller",
    host.url,
    "--vm",
    "local",
    "--state-dir",
    "/var/tmp/voxops-sidecar-state",
    "--inventory",
    "/var/tmp/voxops-inventory.json",
  ]);
  return unit;
}

const api = async (path: string, body?: unknown) => {
  const res = await fetch(`${host.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
};

/** Restarts slowstop through the API (confirming when asked), killing the sidecar mid-restart. */
async function restartAndKill(lang: "ru" | "en") {
  const unit = `voxops-sidecar-${sidecarRuns}`;
  const answer = (async () => {
    const first = await api("/agent/service/restart", { service: "slowstop", vm: "local", lang });
    return first.status === 202 ? api(`/agent/confirmations/${first.body.confirmationId}`) : first;
  })();
  await waitFor(
    async () =>
      (
        await sandbox.run(["systemctl", "show", "-p", "ActiveState", "--value", "slowstop.service"])
      ).stdout.trim() === "deactivating",
    { what: "systemd to be stopping slowstop", timeoutMs: 30_000 },
  );
  await sandbox.exec(["systemctl", "kill", "--signal=SIGKILL", unit]);
  await startSidecar();
  return answer;
}

beforeAll(async () => {
  sandbox = await startSandbox("interrupt");
  await sandbox.writeFile("/var/tmp/voxops-inventory.json", INVENTORY, 0o644);
  await installUnit(
    sandbox,
    "slowstop.service",
    [
      "[Service]",
      `ExecStartPre=/bin/sh -c 'mkdir -p /var/tmp/voxops-slowstop && date +%%s%%N >> ${STARTS}'`,
      "ExecStart=/bin/sleep infinity",
      "ExecStop=/bin/sleep 3",
      "",
    ].join("\n"),
  );
  await sandbox.exec(["systemctl", "start", "slowstop.service"]);
  const config = readConfig(
    { VOXOPS_API_TOKENS: `${TOKEN}:admin`, VOXOPS_SIDECAR_KEYS: `local=${KEY}` },
    INVENTORY,
  );
  host = await startNodeHost({
    config,
    port: await freePort(),
    dbPath: ":memory:",
    defaultTimeoutMs: 30_000,
  });
  await startSidecar();
  await waitFor(() => host.controller.connected("local"), {
    what: "the sidecar to connect",
    timeoutMs: 30_000,
  });
}, 90_000);

afterAll(async () => {
  await host?.close();
  await sandbox?.stop();
});

describe("a sidecar killed during a restart", () => {
  it("says the restart was interrupted and not run again, with the unit's state now (English)", async () => {
    const res = await restartAndKill("en");
    expect(res.body.text).toMatch(
      /⚠️ local: the restart was interrupted — the sidecar restarted while it ran and did not run it again\. slowstop on local is (active|activating|deactivating) now/,
    );
    expect(res.body.text).not.toMatch(/restart failed/i);
    await waitFor(
      async () =>
        (await sandbox.run(["systemctl", "is-active", "slowstop.service"])).stdout.trim() === "active",
      { what: "slowstop to be active again", timeoutMs: 20_000 },
    );
    // Started twice: its first start and the one restart; the restart was not run again.
    expect((await sandbox.readFile(STARTS)).trim().split("\n")).toHaveLength(2);
  }, 90_000);

  it("says the same in Russian", async () => {
    await waitFor(() => host.controller.connected("local"), {
      what: "the sidecar to reconnect",
      timeoutMs: 30_000,
    });
    const res = await restartAndKill("ru");
    expect(res.body.text).toMatch(
      /⚠️ local: перезапуск — прервано: сайдкар перезапустился во время выполнения, повторно не запускалось\. Сейчас slowstop на local: (active|activating|deactivating)/,
    );
    await waitFor(
      async () =>
        (await sandbox.run(["systemctl", "is-active", "slowstop.service"])).stdout.trim() === "active",
      { what: "slowstop to be active again", timeoutMs: 20_000 },
    );
    expect((await sandbox.readFile(STARTS)).trim().split("\n")).toHaveLength(3);
  }, 90_000);
});
