/**
 * Issue 17: a confirmed reboot of one VM is followed to its end and told to whoever asked, through the
 * real front ends (the HTTPS API and bot updates on the Bot API stand-in) with real sidecar processes:
 * a reboot that is accepted but never happens (the stand-in systemd records it, the machine stays up),
 * one that happens (the sidecar is killed and comes back under a new kernel boot id), one that real
 * polkit refuses (a sidecar as an unprivileged user inside the systemd sandbox), and the stale state
 * a controller restart used to keep.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StandInUser } from "../stand-ins/bot-api.ts";
import { type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";
import {
  en,
  GO_DOWN_MS,
  killSidecars,
  type RebootWorld,
  ru,
  type SidecarProcess,
  startRebootWorld,
} from "./reboot-world.ts";

let w: RebootWorld;
let sidecar: SidecarProcess;

beforeAll(async () => {
  w = await startRebootWorld();
  sidecar = w.startSidecar(randomUUID());
  await w.waitConnected();
}, 60_000);

afterAll(async () => {
  await killSidecars();
  await w?.close();
});

/** Waits for a message to `user`'s chat (sent or edited) after call number `from` whose text matches. */
async function told(user: StandInUser, pattern: RegExp, from: number, timeoutMs = 30_000): Promise<string> {
  const call = await w.api.waitForCall(
    (c) =>
      c.ok &&
      w.api.calls.indexOf(c) >= from &&
      c.params["chat_id"] === user.id &&
      /^(sendMessage|editMessageText)$/.test(c.method) &&
      pattern.test(String(c.params["text"] ?? "")),
    timeoutMs,
  );
  return String(call.params["text"]);
}

/** Sends `text` as `user`, presses the confirmation's "yes", and returns the reply after it. */
async function rebootByBot(user: StandInUser, text: string, reply: RegExp): Promise<string> {
  let from = w.api.calls.length;
  w.api.push(w.api.textUpdate(user, text));
  const question = await w.api.waitForCall(
    (c) =>
      c.ok &&
      w.api.calls.indexOf(c) >= from &&
      c.params["chat_id"] === user.id &&
      /^❓/.test(String(c.params["text"] ?? "")),
    30_000,
  );
  const markup = question.params["reply_markup"] as { inline_keyboard: { callback_data: string }[][] };
  const yes = markup.inline_keyboard.flat().find((b) => b.callback_data.startsWith("cf:"));
  if (!yes) throw new Error("no confirmation button");
  const last = [...w.api.state.messages.values()].filter((m) => m.chat_id === user.id).at(-1);
  from = w.api.calls.length;
  w.api.push(
    w.api.callbackUpdate(user, { chat_id: user.id, message_id: last?.message_id ?? 1 }, yes.callback_data),
  );
  return told(user, reply, from);
}

/** Asks and confirms a reboot of `local` through the API. */
async function rebootByApi(lang: "ru" | "en" = "en") {
  const asked = await w.call("/agent/vm/reboot", { method: "POST", body: { vm: "local", lang } });
  expect(asked.status).toBe(202);
  return w.call(`/agent/confirmations/${asked.body.confirmationId}`, { method: "POST" });
}

/** Polls the API's follow-up until the reboot `ref` has ended. */
async function finalStatus(ref: string, lang: "ru" | "en" = "en", timeoutMs = 30_000) {
  let last: { status: number; body: any } | undefined;
  await waitFor(
    async () => {
      last = await w.call(`/agent/vm/reboot?vm=local&lang=${lang}`);
      return last.body.ref === ref && last.body.final === true;
    },
    { what: `the reboot ${ref} to end`, timeoutMs },
  );
  return last?.body;
}

const audit = async () =>
  (await w.call("/agent/audit?limit=500")).body.records as {
    action: string;
    actor: { kind: string; id: string };
    outcome: string;
    ref?: string;
    detail?: string;
  }[];

describe("a reboot the sidecar accepts but that never happens", () => {
  it("answers 'accepted' through the API, then 'did not go down', and a later reboot is not refused", async () => {
    const done = await rebootByApi();
    expect(done.status).toBe(200);
    expect(done.body.text).toContain("Rebooting local: systemctl reboot through the sidecar.");
    expect(done.body.text).toContain(
      "✅ local (this machine) accepted the reboot. I will say when it goes down and when it is back.",
    );
    const ref = done.body.results[0].reboot.ref as string;
    expect(ref).toMatch(/^fence:local:\d+$/);
    const end = await finalStatus(ref);
    expect(end).toMatchObject({ vm: "local", stage: "not-down", failed: true });
    expect(end.text).toMatch(
      /^⚠️ local \(this machine\) did not go down: its sidecar accepted the reboot, but \d+ s later the machine still runs the same boot and sends heartbeats\. Ask for the reboot again/,
    );
    // Audited under the asker and the reboot's reference, never as the watchdog's "still down".
    const records = await audit();
    const mine = records.filter((r) => r.ref === ref && r.action === "reboot");
    expect(mine.map((r) => r.outcome)).toEqual(expect.arrayContaining(["accepted", "did not go down"]));
    for (const r of mine) expect(r.actor.kind).toBe("api");
    expect(records.filter((r) => r.outcome === "still down")).toEqual([]);
    // The next reboot is accepted at once: no stale "already rebooting", no 409, no 502.
    const again = await rebootByApi();
    expect(again.status).toBe(200);
    expect(again.body.text).toContain("accepted the reboot");
    await finalStatus(again.body.results[0].reboot.ref);
  }, 60_000);

  it("tells the Russian Telegram user both answers in Russian", async () => {
    const from = w.api.calls.length;
    const reply = await rebootByBot(ru, "Перезагрузи local", /приняла перезагрузку/);
    expect(reply).toContain("Перезагружаю local: systemctl reboot через сайдкар.");
    expect(reply).toContain(
      "✅ local (this machine) приняла перезагрузку. Сообщу, когда она уйдёт и когда вернётся.",
    );
    const later = await told(ru, /не ушла в перезагрузку/, from, GO_DOWN_MS + 20_000);
    expect(later).toMatch(
      /^⚠️ local \(this machine\) не ушла в перезагрузку: сайдкар принял её, но через \d+ с машина работает с той же загрузки и шлёт сигналы\./,
    );
  }, 60_000);
});

describe("a reboot that happens", () => {
  it("tells the English Telegram user: accepted, went down, back from a new boot with the time", async () => {
    const from = w.api.calls.length;
    const reply = await rebootByBot(en, "reboot local", /accepted the reboot/);
    expect(reply).toContain("Rebooting local: systemctl reboot through the sidecar.");
    await sidecar.kill();
    const down = await told(en, /went down/, from);
    expect(down).toMatch(
      /^⏳ local \(this machine\) went down \d+ s after the request: its sidecar closed its connection\. Waiting for it to come back\.$/,
    );
    sidecar = w.startSidecar(randomUUID());
    const back = await told(en, /is back from the reboot/, from);
    expect(back).toMatch(
      /^✅ local \(this machine\) is back from the reboot: a new boot, \d+ s after the request\.$/,
    );
    const status = await w.call("/agent/vm/reboot?vm=local&lang=ru");
    expect(status.body).toMatchObject({ stage: "back", final: true, failed: false });
    expect(status.body.text).toMatch(
      /^✅ local \(this machine\) вернулась после перезагрузки: новая загрузка, \d+ с от запроса\.$/,
    );
    await w.waitConnected();
  }, 60_000);
});

describe("a stale reboot over a controller restart", () => {
  it("is cleared by heartbeats from the same boot, and the next reboot runs", async () => {
    const done = await rebootByApi();
    expect(done.status).toBe(200);
    const ref = done.body.results[0].reboot.ref as string;
    await w.stopHost();
    await new Promise((r) => setTimeout(r, GO_DOWN_MS + 500));
    await w.startHost();
    await w.waitConnected();
    const end = await finalStatus(ref);
    expect(end.stage).toBe("not-down");
    const records = await audit();
    expect(records.filter((r) => r.ref === ref && r.outcome === "went down")).toEqual([]);
    const again = await rebootByApi("ru");
    expect(again.status).toBe(200);
    expect(again.body.text).toContain("приняла перезагрузку");
    expect(again.body.text).not.toContain("уже перезагружается");
    await finalStatus(again.body.results[0].reboot.ref);
  }, 90_000);
});

describe("a reboot real polkit refuses", () => {
  let sandbox: SystemdSandbox | undefined;
  afterAll(async () => {
    await killSidecars();
    await sandbox?.stop();
  });

  it("says it did not start, with polkit's answer and what to do, in the API and in Russian on Telegram", async () => {
    await sidecar.kill();
    sandbox = await startSandbox("reboot");
    const inside = await w.startSandboxSidecar(sandbox, "nobody");
    await w.waitConnected().catch((error: unknown) => {
      throw new Error(`${String(error)}; sidecar stderr: ${inside.stderr().slice(-1500)}`);
    });
    const done = await rebootByApi();
    expect(done.body.status).toBe("failed");
    expect(done.status).not.toBe(502);
    expect(done.body.text).toMatch(
      /⚠️ The reboot of local \(this machine\) did not start: its sidecar did not carry it out, and the machine runs as before\. It said: ".*(Access denied|authentication required).*"\. That is polkit refusing/i,
    );
    const ref = done.body.results[0].reboot.ref as string;
    const status = await w.call("/agent/vm/reboot?vm=local");
    expect(status.body).toMatchObject({ ref, stage: "not-started", failed: true });
    const records = await audit();
    expect(records.filter((r) => r.ref === ref && r.action === "reboot").map((r) => r.outcome)).toEqual([
      "did not start",
    ]);
    expect(records.filter((r) => r.outcome === "still down")).toEqual([]);
    expect(sandbox.alive()).toBe(true);
    const reply = await rebootByBot(ru, "Перезагрузи local", /не началась/);
    expect(reply).toMatch(
      /Перезагрузка local \(this machine\) не началась: сайдкар её не выполнил, машина работает как прежде\. Ответ: «.+»\. Это отказ polkit/,
    );
  }, 90_000);
});
