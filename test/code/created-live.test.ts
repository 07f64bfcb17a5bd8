/**
 * A service voxops creates while the sidecar runs is watched by auto-fix and announced to the
 * controller at once, and a removed one is forgotten at once, without restarting the sidecar (issue
 * 13): a real systemd (the sandbox) with a real sidecar unit (as root, so the installer runs in its
 * process) and a Node controller on 127.0.0.1. The registry edited on disk by hand is announced too.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import type { RuntimePlugin } from "../../edge/core/runtime-plugin.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { mirrorPlugins } from "../../edge/plugins.ts";
import type { EventFrame } from "../../protocol/frames.ts";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { installUnit, type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";
import { NODE24 } from "./creation-world.ts";

const KEY = "created-live-key-vm1-0001";
const actor = { kind: "api", id: "created-live-test", role: "admin" } as const;

/** Answers on PORT; GET /crash writes an error line and exits 1 (systemd starts it again). */
const crashy = `const http = require("node:http");
http
  .createServer((req, res) => {
    if (req.url === "/crash") {
      console.error("Error: Cannot find module 'left-pad'");
      process.exit(1);
    }
    res.end("crashy is up\\n");
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
`;

describe("a created service is watched and announced without a sidecar restart (real systemd)", () => {
  let sbx: SystemdSandbox;
  let host: NodeHost;
  let dir: string;
  let port: number;
  const events: { vm: string; frame: EventFrame }[] = [];
  const sidecarPid = async () =>
    (await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "voxops-sidecar.service"])).trim();
  const services = () => host.controller.fleet().find((v) => v.vm === "vm1")?.services ?? [];

  beforeAll(async () => {
    sbx = await startSandbox("created-live");
    dir = mkdtempSync(join(tmpdir(), "voxops-created-live-"));
    port = await freePort();
    const inventoryText = JSON.stringify({
      vms: {
        vm1: {
          role: "main",
          services: [],
          code: { newServices: { root: "/srv/new", portRange: [port, port] } },
        },
      },
    });
    await sbx.writeFile("/etc/voxops/inventory.json", inventoryText);
    // A test plugin that only listens: the events the sidecar sends (auto-fix findings among them).
    const recorder: RuntimePlugin = {
      name: "test event recorder",
      attach: () => ({
        onEvent: (vm, frame) => {
          events.push({ vm, frame });
          return false;
        },
      }),
    };
    host = await startNodeHost({
      config: readConfig(
        { VOXOPS_API_TOKENS: "created-live-token-00001:admin", VOXOPS_SIDECAR_KEYS: `vm1=${KEY}` },
        inventoryText,
      ),
      port: 0,
      dbPath: join(dir, "controller.db"),
      defaultTimeoutMs: 60_000,
      plugins: [recorder, ...mirrorPlugins()],
    });
    await installUnit(
      sbx,
      "voxops-sidecar.service",
      [
        "[Service]",
        `ExecStart=${NODE24} ${join(repo, "bin", "voxops.js")} sidecar --controller ${host.url} --vm vm1 --inventory /etc/voxops/inventory.json --state-dir /var/lib/voxops`,
        `Environment=VOXOPS_SIDECAR_KEY=${KEY}`,
        "Environment=VOXOPS_HEARTBEAT_S=0.5",
        "Environment=VOXOPS_QUIET=1",
        "Environment=VOXOPS_BACKUP_EVERY_H=0",
        // Findings are reported, not repaired: the test looks at what auto-fix sees.
        "Environment=VOXOPS_AUTOFIX=dry-run",
        "",
      ].join("\n"),
    );
    await sbx.exec(["systemctl", "start", "voxops-sidecar.service"]);
    await waitFor(() => host.controller.connected("vm1"), {
      what: "the sidecar to connect",
      timeoutMs: 20_000,
    });
  }, 90_000);
  afterAll(async () => {
    await host?.close();
    await sbx?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates a service: it is in status at once, and its crash reaches auto-fix, with the same sidecar process", async () => {
    const pid = await sidecarPid();
    expect(services()).not.toContain("crashy");
    const files = [{ path: "server.js", content: crashy }];
    const out = await host.controller.dispatch({
      vm: "vm1",
      action: "service-create",
      args: {
        name: "crashy",
        port,
        entry: "server.js",
        files,
        request: "create crashy",
        diffSha256: createHash("sha256").update(crashy).digest("hex"),
        lang: "en",
      },
      actor,
      timeoutMs: 60_000,
    });
    expect(out.error?.message ?? "").toBe("");
    expect(out.ok).toBe(true);
    // Announced: the controller's fleet (its status) names it within a moment, without any list command.
    await waitFor(() => services().includes("crashy"), {
      what: "crashy in the controller's status",
      timeoutMs: 5_000,
    });
    const status = await host.controller.dispatch({ vm: "vm1", action: "status", args: {}, actor });
    expect(JSON.stringify(status.output)).toContain("voxops-made-crashy.service");
    // Watched: a crash's error line becomes an auto-fix finding about crashy.
    await fetch(`http://127.0.0.1:${port}/crash`).catch(() => null);
    const seen = await waitFor(
      () => events.find((e) => e.frame.data["service"] === "crashy" && e.frame.kind !== "command.progress"),
      { what: "an auto-fix event about crashy", timeoutMs: 20_000 },
    );
    expect(seen.vm).toBe("vm1");
    expect(String(seen.frame.data["rule"])).toBe("import-error");
    expect(await sidecarPid()).toBe(pid);
  }, 120_000);

  it("removes it: gone from status at once, same sidecar process", async () => {
    const pid = await sidecarPid();
    const out = await host.controller.dispatch({
      vm: "vm1",
      action: "created-remove",
      args: { name: "crashy", lang: "en" },
      actor,
      timeoutMs: 60_000,
    });
    expect(out.ok).toBe(true);
    await waitFor(() => !services().includes("crashy"), {
      what: "crashy gone from status",
      timeoutMs: 5_000,
    });
    expect(await sidecarPid()).toBe(pid);
  }, 60_000);

  it("a registry changed on disk under the sidecar is read at the next heartbeat and announced", async () => {
    await installUnit(
      sbx,
      "voxops-made-handmade.service",
      "[Service]\nType=simple\nExecStart=/bin/sleep infinity\n",
    );
    const record = {
      kind: "service",
      name: "handmade",
      unit: "voxops-made-handmade.service",
      path: "/srv/new/handmade",
      request: "written by hand",
      createdAt: Date.now(),
    };
    await sbx.writeFile("/etc/voxops/created.json", JSON.stringify([record]));
    await waitFor(() => services().includes("handmade"), { what: "handmade in status", timeoutMs: 5_000 });
    await sbx.writeFile("/etc/voxops/created.json", "[]");
    await waitFor(() => !services().includes("handmade"), {
      what: "handmade gone from status",
      timeoutMs: 5_000,
    });
  }, 60_000);
});
