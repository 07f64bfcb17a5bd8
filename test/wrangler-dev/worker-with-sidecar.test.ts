/**
 * The Worker and its Durable Object under `wrangler dev` (real workerd), with a real sidecar
 * process dialling in over a real WebSocket, and the API driven over HTTP.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotApiStandIn, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { repo, spawnNode, stopAll } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { waitFor } from "../support/wait-for.ts";

const TOKEN = "wrangler-admin-token-0001";
const KEY = "wrangler-key-of-vm1-00001";
let dev: ChildProcess | null = null;
let base = "";
let logs = "";
let telegram: BotApiStandIn;
const SECRET = "webhook-secret-0123456789";
const alice = { id: 4242, first_name: "Alice", language_code: "ru", username: "alice" };
const eve = { id: 6666, first_name: "Eve", language_code: "en" };
const dir = mkdtempSync(join(tmpdir(), "voxops-wrangler-"));

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
      ...(init.headers ?? {}),
    },
  });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const inventory = JSON.stringify({ vms: { vm1: { role: "main" }, vm2: { role: "hub" } } });
  telegram = await startBotApiStandIn();
  telegram.addUser(alice);
  telegram.addUser(eve);
  const vars: [string, string][] = [
    ["VOXOPS_API_TOKENS", `${TOKEN}:admin`],
    ["VOXOPS_SIDECAR_KEYS", `vm1=${KEY}`],
    ["VOXOPS_INVENTORY", inventory],
    ["TELEGRAM_BOT_TOKEN", telegram.token],
    ["TELEGRAM_API_ROOT", telegram.apiRoot],
    ["TELEGRAM_WEBHOOK_SECRET", SECRET],
    ["TELEGRAM_USERS", `${alice.id}:admin`],
    ["TELEGRAM_BOT_INFO", JSON.stringify(telegram.botInfo)],
  ];
  const envFile = join(dir, "dev.vars");
  writeFileSync(envFile, vars.map(([k, v]) => `${k}='${v}'`).join("\n"));
  dev = spawn(
    join(repo, "node_modules/.bin/wrangler"),
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      join(dir, "state"),
      "--env-file",
      envFile,
    ],
    {
      cwd: repo,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  dev.stdout?.on("data", (d: Buffer) => {
    logs += d.toString();
  });
  dev.stderr?.on("data", (d: Buffer) => {
    logs += d.toString();
  });
  await waitFor(async () => (await fetch(`${base}/agent/health`)).status === 401, {
    timeoutMs: 60_000,
    everyMs: 250,
    what: "wrangler dev to serve",
  }).catch((e) => {
    throw new Error(`${(e as Error).message}\n${logs.slice(-2000)}`);
  });
}, 90_000);

afterAll(async () => {
  await stopAll();
  await telegram?.close();
  if (dev && dev.exitCode === null) {
    const exited = new Promise((r) => dev?.once("exit", r));
    dev.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    dev.kill("SIGKILL");
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("wrangler dev with a real sidecar", () => {
  it("connects a sidecar process to the Durable Object and runs status through the API", async () => {
    const sidecar = spawnNode(
      "bin/voxops.js",
      ["sidecar", "--controller", base, "--vm", "vm1", "--state-dir", join(dir, "sidecar")],
      {
        VOXOPS_SIDECAR_KEY: KEY,
        VOXOPS_HEARTBEAT_S: "1",
      },
    );
    await waitFor(async () => (await api("/agent/health")).body.sidecars?.some((s: any) => s.vm === "vm1"), {
      timeoutMs: 30_000,
      what: "vm1 to connect to the Durable Object",
    }).catch((e) => {
      throw new Error(`${(e as Error).message}\n${sidecar.stderr().slice(-1500)}\n${logs.slice(-1500)}`);
    });
    const res = await api("/agent/commands", {
      method: "POST",
      body: JSON.stringify({ vm: "vm1", action: "status" }),
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0].outcome.output.figures.memory.totalB).toBeGreaterThan(0);
    const status = await waitFor(async () => {
      const s = await api("/agent/vm/status?vm=vm1");
      return s.body.vms?.[0]?.figures ? s : null;
    });
    expect(status.body.vms[0]).toMatchObject({ vm: "vm1", connected: true });
  });

  it("writes one JSON log line for the action and one for its result, tied by request and command ids", async () => {
    const res = await fetch(`${base}/agent/commands`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TOKEN}`,
        "content-type": "application/json",
        "x-request-id": "tail-test-0001",
      },
      body: JSON.stringify({ vm: "vm1", action: "status" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("tail-test-0001");
    const jsonLines = () =>
      logs
        .split("\n")
        .map((l) => l.slice(l.indexOf("{")))
        .filter((l) => l.startsWith("{") && l.includes('"kind"'))
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return null;
          }
        })
        .filter((l) => l !== null);
    const dispatched = await waitFor(() =>
      jsonLines().find((l) => l.requestId === "tail-test-0001" && l.outcome === "dispatched"),
    );
    expect(dispatched).toMatchObject({
      from: "edge",
      kind: "action",
      action: "status",
      target: "vm1",
      actor: expect.stringMatching(/^api:token:/),
    });
    const done = await waitFor(() =>
      jsonLines().find((l) => l.commandId === dispatched.commandId && l.outcome === "ok"),
    );
    expect(done).toMatchObject({ kind: "action", action: "status", target: "vm1", level: "info" });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    for (const secret of [TOKEN, KEY, SECRET]) expect(logs).not.toContain(secret);
  });

  it("refuses a sidecar with a forged key", async () => {
    const forged = spawnNode(
      "bin/voxops.js",
      ["sidecar", "--controller", base, "--vm", "vm1", "--state-dir", join(dir, "forged")],
      {
        VOXOPS_SIDECAR_KEY: "not-the-right-key-000000",
      },
    );
    await waitFor(() => forged.stderr().includes("controller refused the sidecar"), {
      timeoutMs: 20_000,
      what: "the refusal",
    });
    const audit = await api("/agent/audit?limit=20");
    expect(
      audit.body.records.some((r: any) => r.action === "sidecar-connect" && r.outcome === "refused"),
    ).toBe(true);
    await waitFor(() => /"kind":"refusal"[^\n]*"action":"sidecar-connect"/.test(logs), {
      what: "the refusal's log line",
    });
    expect(logs).not.toContain("not-the-right-key-000000");
  });

  it("serves the Telegram webhook from the Durable Object: secret checked, allowlist kept, answer sent", async () => {
    const noSecret = await telegram.postToWebhook(`${base}/telegram`, telegram.textUpdate(alice, "Статус"));
    expect(noSecret.status).toBe(401);
    const stranger = await telegram.postToWebhook(
      `${base}/telegram`,
      telegram.textUpdate(eve, "reboot everything"),
      SECRET,
    );
    expect(stranger.status).toBe(200);
    await telegram.waitForCall((c) => c.method === "sendMessage" && c.params["chat_id"] === eve.id, 20_000);
    const ok = await telegram.postToWebhook(
      `${base}/telegram`,
      telegram.textUpdate(alice, "Статус первой машины"),
      SECRET,
    );
    expect(ok.status).toBe(200);
    const reply = await telegram.waitForCall(
      (c) =>
        c.method === "sendMessage" &&
        c.params["chat_id"] === alice.id &&
        String(c.params["text"]).includes("vm1"),
      20_000,
    );
    // Asked in Russian: the progress note is Russian, with one hourglass.
    expect(String(reply.params["text"])).toContain("статус");
    expect(String(reply.params["text"])).not.toContain("⏳ ⏳");
    expect(
      telegram
        .callsOf("sendMessage")
        .filter((c) => c.params["chat_id"] === alice.id && String(c.params["text"]).includes("reboot")),
    ).toHaveLength(0);
  });
});
