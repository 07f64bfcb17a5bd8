// SIGTERM ends the mirror process (the Node host in webhook mode) cleanly and quickly even while the
// Bot API hangs and updates are waiting on it: a real `voxops mirror` child process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BotApiStandIn, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { spawnNode, stopAll } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";
import { alice } from "./harness.ts";

const SECRET = "mirror-webhook-secret-0001";
let api: BotApiStandIn | undefined;
const dir = mkdtempSync(join(tmpdir(), "voxops-mirror-stop-"));

afterAll(async () => {
  await stopAll();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the mirror on SIGTERM", () => {
  it("exits 0 within seconds while the Bot API hangs and updates wait on it", async () => {
    api = await startBotApiStandIn();
    api.hang(true);
    const child = spawnNode("bin/voxops.js", ["mirror"], {
      PORT: "0",
      VOXOPS_LISTEN_HOST: "127.0.0.1",
      VOXOPS_DB: join(dir, "controller.db"),
      VOXOPS_API_TOKENS: "mirror-admin-token-00001:admin",
      VOXOPS_SIDECAR_KEYS: "vm1=mirror-key-of-vm1-0001",
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_USERS: `${alice.id}:admin`,
    });
    await waitFor(() => /"msg":"mirror listening"/.test(child.stderr()), { timeoutMs: 15_000 });
    const url = /"url":"(http:\/\/[^"]+)"/.exec(child.stderr())?.[1] ?? "";
    await waitFor(() => api!.held.includes("getMe"), { timeoutMs: 5000 });
    // An update waiting for the bot's identity while the signal comes.
    const pending = fetch(`${url}/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(api.textUpdate(alice, "/help")),
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.process.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const started = performance.now();
    child.process.kill("SIGTERM");
    const end = await Promise.race([
      exited,
      new Promise<"still running">((r) => setTimeout(() => r("still running"), 8000)),
    ]);
    expect(end).toEqual({ code: 0, signal: null });
    expect(performance.now() - started).toBeLessThan(5000);
    await pending;
  });
});
