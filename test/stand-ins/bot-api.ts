/**
 * A STAND-IN for the Telegram Bot API server (test code, 127.0.0.1 only). Real method names and JSON
 * shapes under /bot<token>/<method>, file downloads under /file/bot<token>/<file_path>; it refuses
 * malformed calls as Telegram does, long-polls getUpdates, can answer 429 with retry_after, records
 * every call, and builds updates from given users (text, voice, button presses) to queue for polling
 * or to POST to a webhook with a secret token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";
import { type ApiResult, runMethod } from "./bot-api/methods.ts";
import { readParams } from "./bot-api/params.ts";
import { checkParams, isUpload, methodSpecs } from "./bot-api/params-spec.ts";
import { type BotApiState, createBotApiState, messageKey, type StoredMessage } from "./bot-api/state.ts";
import { createUpdateBuilders } from "./bot-api/updates.ts";

/** A Telegram user the tests act as. */
export interface StandInUser {
  readonly id: number;
  readonly first_name: string;
  readonly language_code?: string;
  readonly username?: string;
}

/** One call the bot made. */
export interface RecordedCall {
  readonly method: string;
  /** Parameters as received; uploads are replaced by {filename, size}. */
  readonly params: Record<string, unknown>;
  readonly upload?: Uint8Array;
  /** performance.now() when the call arrived. */
  readonly at: number;
  readonly ok: boolean;
  readonly error_code?: number;
  readonly description?: string;
}

/** A running stand-in. */
export interface BotApiStandIn {
  /** The value for TELEGRAM_API_ROOT / grammY's apiRoot. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly state: BotApiState;
  readonly calls: RecordedCall[];
  /** Calls of one method, oldest first. */
  callsOf(method: string): RecordedCall[];
  /** Registers a user and their private chat. */
  addUser(user: StandInUser): void;
  textUpdate(user: StandInUser, text: string): Update;
  voiceUpdate(
    user: StandInUser,
    voice: { bytes?: Uint8Array; file_size?: number; duration?: number },
  ): Update;
  /** A button press by `user` on a message in `chatId` (another user's chat, to forge a press). */
  callbackUpdate(user: StandInUser, message: { chat_id: number; message_id: number }, data: string): Update;
  /** Queues an update for getUpdates. */
  push(update: Update): void;
  /**
   * While on, holds every Bot API call open without an answer (a Bot API that hangs), counting them in
   * `held`; turning it off answers the held calls as usual.
   */
  hang(on: boolean): void;
  /** Calls being held by `hang(true)` now, by method. */
  readonly held: string[];
  /** Answers the next `times` calls of `method` with 429 and retry_after. */
  failNext(method: string, retryAfterS: number, times?: number): void;
  /** Waits until a recorded call matches, or rejects after `timeoutMs`. */
  waitForCall(match: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** POSTs an update to a webhook URL (on 127.0.0.1) as Telegram does. */
  postToWebhook(url: string, update: Update, secretToken?: string): Promise<Response>;
  message(chatId: number, messageId: number): StoredMessage | undefined;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 and an ephemeral port. */
export async function startBotApiStandIn(token = "123456:stand-in-token"): Promise<BotApiStandIn> {
  const botId = Number(token.split(":")[0]);
  const botInfo: UserFromGetMe = {
    id: botId,
    is_bot: true,
    first_name: "voxops stand-in",
    username: "voxops_standin_bot",
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
  } as UserFromGetMe;
  const state = createBotApiState(botInfo);
  const calls: RecordedCall[] = [];
  const failures = new Map<string, { retryAfter: number; times: number }>();
  const callWaiters = new Set<() => void>();
  let closing = false;
  let hanging = false;
  const held: string[] = [];
  const releases = new Set<() => void>();

  const record = (call: RecordedCall) => {
    calls.push(call);
    for (const wake of [...callWaiters]) wake();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      reply(res, { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return download(file[1] ?? "", decodeURIComponent(file[2] ?? ""), res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return reply(res, { ok: false, error_code: 404, description: "Not Found" });
    const [, callToken, method = ""] = match;
    if (hanging) {
      held.push(method);
      await new Promise<void>((resolve) => {
        releases.add(resolve);
        req.socket.once("close", resolve);
      });
      held.splice(held.indexOf(method), 1);
      if (res.destroyed) return;
    }
    if (callToken !== token) return reply(res, { ok: false, error_code: 401, description: "Unauthorized" });
    const read = readParams(url, req.headers["content-type"] ?? "", new Uint8Array(body));
    const at = performance.now();
    const raw = "params" in read ? read.params : {};
    const shown = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [
        k,
        isUpload(v) ? { filename: v.filename, size: v.bytes.length } : v,
      ]),
    );
    const upload = Object.values(raw).find(isUpload)?.bytes;
    const finish = (result: ApiResult) => {
      record({
        method,
        params: shown,
        ...(upload ? { upload } : {}),
        at,
        ok: result.ok,
        ...(result.ok ? {} : { error_code: result.error_code, description: result.description }),
      });
      reply(res, result);
    };
    if ("error" in read)
      return finish({ ok: false, error_code: 400, description: `Bad Request: ${read.error}` });
    const spec = methodSpecs[method];
    if (!spec) return finish({ ok: false, error_code: 404, description: "Not Found" });
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times--;
      return finish({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${failure.retryAfter}`,
        parameters: { retry_after: failure.retryAfter },
      });
    }
    const checked = checkParams(spec, raw);
    if ("error" in checked) return finish({ ok: false, error_code: 400, description: checked.error });
    if (method === "getUpdates") return finish(await getUpdates(checked.params, req));
    finish(runMethod(state, method, checked.params));
  }

  async function getUpdates(p: Record<string, unknown>, req: IncomingMessage): Promise<ApiResult> {
    if (state.webhook) {
      return {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      };
    }
    const offset = typeof p["offset"] === "number" ? p["offset"] : undefined;
    const limit = Math.min(100, Math.max(1, typeof p["limit"] === "number" ? p["limit"] : 100));
    const timeout = Math.min(50, Math.max(0, typeof p["timeout"] === "number" ? p["timeout"] : 0));
    if (offset !== undefined) {
      const keep = state.updates.filter((u) => u.update_id >= offset);
      state.updates.splice(0, state.updates.length, ...keep);
    }
    if (state.updates.length === 0 && timeout > 0 && !closing) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeout * 1000);
        function done() {
          clearTimeout(timer);
          state.waiters.delete(done);
          resolve();
        }
        state.waiters.add(done);
        req.socket.once("close", done);
      });
    }
    return { ok: true, result: state.updates.slice(0, limit) };
  }

  function download(callToken: string, path: string, res: ServerResponse): void {
    const stored = [...state.files.values()].find((f) => f.file_path === path);
    record({
      method: "download",
      params: { file_path: path },
      at: performance.now(),
      ok: callToken === token && !!stored?.bytes,
    });
    if (callToken !== token) {
      reply(res, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    if (!stored?.bytes) {
      reply(res, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": stored.bytes.length });
    res.end(stored.bytes);
  }

  const updates = createUpdateBuilders(state);

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    state,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    addUser(user) {
      state.chats.add(user.id);
    },
    ...updates,
    push(update) {
      state.updates.push(update);
      for (const wake of [...state.waiters]) wake();
    },
    hang(on) {
      hanging = on;
      if (on) return;
      for (const release of [...releases]) release();
      releases.clear();
    },
    held,
    failNext(method, retryAfterS, times = 1) {
      failures.set(method, { retryAfter: retryAfterS, times });
    },
    waitForCall(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = calls.find(match);
          if (!found) return;
          clearTimeout(timer);
          callWaiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          callWaiters.delete(check);
          reject(
            new Error(
              `no matching Bot API call within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(", ")}`,
            ),
          );
        }, timeoutMs);
        callWaiters.add(check);
        check();
      });
    },
    postToWebhook(url, update, secretToken) {
      if (!url.startsWith("http://127.0.0.1:")) throw new Error("the stand-in posts to 127.0.0.1 only");
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (secretToken !== undefined) headers["x-telegram-bot-api-secret-token"] = secretToken;
      return fetch(url, { method: "POST", headers, body: JSON.stringify(update) });
    },
    message: (chatId, messageId) => state.messages.get(messageKey(chatId, messageId)),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const release of [...releases]) release();
        for (const wake of [...state.waiters]) wake();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, result: ApiResult): void {
  if (res.writableEnded || res.destroyed) return;
  const status = result.ok ? 200 : result.error_code;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(result));
}
