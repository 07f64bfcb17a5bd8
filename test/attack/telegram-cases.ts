/**
 * Telegram through the webhook, with the Bot API stand-in: the secret, strangers, roles, forged and
 * foreign confirmation buttons, repeated updates and malformed bodies.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import type { Tally, Verdict } from "./tally.ts";
import type { World } from "./world.ts";

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the Telegram group. */
export async function runTelegramCases(world: World, tally: Tally): Promise<void> {
  const { telegram, users } = world;
  const url = `${world.base}/telegram`;
  const post = async (update: unknown, secret?: string, raw?: string): Promise<number> => {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret === undefined ? {} : { "x-telegram-bot-api-secret-token": secret }),
        },
        body: raw ?? JSON.stringify(update),
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  };
  const judge = (
    name: string,
    status: number,
    refused: boolean,
    before: number,
    note?: string,
    fault?: string,
  ) => {
    const ran = world.runs().length > before;
    const verdict: Verdict = status === 0 || status >= 500 ? "crash" : ran || !refused ? "wrong" : "refused";
    tally.record({
      group: "telegram",
      name,
      verdict,
      ...(verdict === "refused"
        ? {}
        : { note: note ?? `status ${status}${ran ? `, ran ${world.runs().at(-1)}` : ""}` }),
      ...(fault ? { fault } : {}),
    });
  };

  for (const [name, secret] of [
    ["no secret", undefined],
    ["wrong secret", "wrong-secret-0000000000"],
    [
      "secret in another case",
      world.webhookSecret.toUpperCase() === world.webhookSecret
        ? `${world.webhookSecret}x`
        : world.webhookSecret.toUpperCase(),
    ],
    ["secret prefix", world.webhookSecret.slice(0, 8)],
  ] as const) {
    const before = world.runs().length;
    const status = await post(telegram.textUpdate(users.admin, "restart web on vm1"), secret);
    judge(`webhook: ${name}`, status, status === 401 || status === 403, before);
  }

  const repliesTo = (id: number) =>
    telegram.callsOf("sendMessage").filter((c) => c.params.chat_id === id).length;
  {
    const before = world.runs().length;
    const had = repliesTo(users.stranger.id);
    const status = await post(telegram.textUpdate(users.stranger, "reboot vm1 now"), world.webhookSecret);
    await settle(500);
    judge(
      "a stranger asks for a reboot",
      status,
      status === 200 && repliesTo(users.stranger.id) > had,
      before,
    );
  }
  for (const text of ["restart web on vm1", "reboot vm2", "перезапусти web на vm1"]) {
    const before = world.runs().length;
    const status = await post(telegram.textUpdate(users.viewer, text), world.webhookSecret);
    await settle(300);
    judge(`a viewer: "${text}"`, status, status === 200, before);
  }
  for (const text of [
    "restart web;reboot on vm1",
    `restart ${"$(id)".repeat(800)}`,
    "\u0000\u202e",
    "x".repeat(4096),
  ]) {
    const before = world.runs().length;
    const status = await post(telegram.textUpdate(users.admin, text), world.webhookSecret);
    await settle(300);
    judge(`hostile text ${JSON.stringify(text.slice(0, 20))}`, status, status === 200, before);
  }

  // A confirmation question for the admin; others press its button, then a forged one; then the admin twice.
  const asked = telegram.calls.length;
  await post(telegram.textUpdate(users.admin, "deploy worker on vm1"), world.webhookSecret);
  const question = await telegram
    .waitForCall(
      (c) =>
        c.method === "sendMessage" &&
        c.params.chat_id === users.admin.id &&
        JSON.stringify(c.params.reply_markup ?? "").includes("cf:"),
      15_000,
    )
    .catch(() => undefined);
  if (!question || telegram.calls.indexOf(question) < asked) {
    tally.record({
      group: "telegram",
      name: "a deploy asks for confirmation",
      verdict: "wrong",
      note: "no question with a button",
    });
    return;
  }
  const data = /(cf:[^"\\]+)/.exec(JSON.stringify(question.params.reply_markup))?.[1] ?? "";
  const stored = [...telegram.state.messages.values()].filter(
    (m) => m.chat_id === users.admin.id && JSON.stringify(m.reply_markup ?? "").includes(data),
  );
  const messageId = stored.at(-1)?.message_id ?? -1;
  const forged = `${data.slice(0, -1)}${data.endsWith("A") ? "B" : "A"}`;
  const button = (user: typeof users.admin, d: string) =>
    telegram.callbackUpdate(user, { chat_id: users.admin.id, message_id: messageId }, d);
  for (const [name, user, d] of [
    ["a viewer presses the admin's confirm button", users.viewer, data],
    ["a stranger presses the admin's confirm button", users.stranger, data],
    ["the admin presses a forged button", users.admin, forged],
    ["the admin presses a random button", users.admin, `cf:${crypto.randomUUID().slice(0, 20)}`],
    ["the admin presses a mangled button", users.admin, `${data}x`],
  ] as const) {
    const before = world.runs().length;
    const status = await post(button(user, d), world.webhookSecret);
    await settle(500);
    judge(name, status, status === 200, before);
  }
  const before = world.runs().length;
  const first = button(users.admin, data);
  const statuses = [await post(first, world.webhookSecret), await post(first, world.webhookSecret)];
  await post(button(users.admin, data), world.webhookSecret);
  await settle(1500);
  const ran = world.runs().length - before;
  tally.record({
    group: "telegram",
    name: "the admin's confirm, the same update twice and a second press: one run",
    ...(statuses.some((s) => s === 0 || s >= 500)
      ? { verdict: "crash" as const }
      : ran === 1
        ? { verdict: "refused" as const }
        : { verdict: "wrong" as const, note: `ran ${ran} times` }),
  });

  for (const [name, raw] of [
    ["invalid JSON", '{"update_id": 1, '],
    ["an array", "[]"],
    [
      "an update with odd types",
      JSON.stringify({ update_id: "x", message: { text: 5, from: "me", chat: null } }),
    ],
    ["an unknown update kind", JSON.stringify({ update_id: 999_999, weird: { x: 1 } })],
  ] as const) {
    const b = world.runs().length;
    const status = await post(undefined, world.webhookSecret, raw);
    judge(`malformed update: ${name}`, status, status < 500, b);
  }
}

/**
 * A controller started while the Bot API does not answer (a port that accepts and never replies, and
 * no TELEGRAM_BOT_INFO): webhook calls must still be answered in time, the secret checked first.
 */
export async function runWebhookHangCases(world: World, tally: Tally): Promise<void> {
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
  const apiPort = (silent.address() as { port: number }).port;
  const port = await freePort();
  const secret = crypto.randomUUID().replaceAll("-", "");
  const child = spawn(process.execPath, [join(repo, "bin", "voxops.js"), "mirror"], {
    cwd: world.dir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: world.dir,
      PORT: String(port),
      VOXOPS_LISTEN_HOST: "127.0.0.1",
      VOXOPS_DB: join(world.dir, "hang.db"),
      VOXOPS_API_TOKENS: `${world.tokens.admin}:admin`,
      VOXOPS_SIDECAR_KEYS: `vm1=${world.keys.vm1}`,
      TELEGRAM_BOT_TOKEN: world.telegram.token,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${apiPort}`,
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_USERS: `${world.users.admin.id}:admin`,
    },
    stdio: "ignore",
  });
  try {
    const until = Date.now() + 90_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > until || child.exitCode !== null)
        throw new Error("the second controller did not start");
      await settle(200);
    }
    const timed = async (secretToken?: string) => {
      const t0 = Date.now();
      const status = await fetch(`http://127.0.0.1:${port}/telegram`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secretToken ? { "x-telegram-bot-api-secret-token": secretToken } : {}),
        },
        body: JSON.stringify(world.telegram.textUpdate(world.users.admin, "status")),
        signal: AbortSignal.timeout(30_000),
      }).then(
        (r) => r.status,
        () => 0,
      );
      return { status, s: (Date.now() - t0) / 1000 };
    };
    // The three calls go at once: each is bounded by its own 30 s deadline.
    const cases = [
      ["without the secret", undefined, (s: number) => s === 401],
      ["with a wrong secret", "wrong-secret-000000000", (s: number) => s === 401],
      // 503: the bot's identity is still unknown; Telegram delivers the update again later.
      ["with the secret", secret, (s: number) => s > 0 && (s < 500 || s === 503)],
    ] as const;
    const answers = await Promise.all(cases.map(([, token]) => timed(token)));
    cases.forEach(([name, token, want], i) => {
      const { status, s } = answers[i] ?? { status: 0, s: 0 };
      tally.record({
        group: "telegram",
        name: `Bot API silent since start: a webhook call ${name}`,
        fault: "webhook-hang",
        ...(status === 0
          ? { verdict: "crash" as const, note: "no answer in 30 s" }
          : want(status) && s < (token === secret ? 27 : 5)
            ? { verdict: "refused" as const }
            : { verdict: "wrong" as const, note: `${status} after ${s.toFixed(1)} s` }),
      });
    });
  } catch (error) {
    tally.record({
      group: "telegram",
      name: "Bot API silent since start",
      fault: "webhook-hang",
      verdict: "crash",
      note: String(error),
    });
  } finally {
    child.kill("SIGKILL");
    silent.close();
  }
}
