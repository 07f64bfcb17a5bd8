/**
 * Attacks on the HTTPS API: credentials on every route, roles, hostile input on every action and
 * argument, and confirmations (someone else's, forged, replayed, cancelled, raced 20 times).
 */
import { connect } from "node:net";
import type { Tally, Verdict } from "./tally.ts";
import type { World } from "./world.ts";

/** One HTTP answer, or what went wrong getting it. */
export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: Record<string, unknown> | undefined;
  readonly failure?: string;
}

/** Calls the controller; a connection error or no answer in 30 s is a failure, never a throw. */
export async function call(
  world: World,
  method: string,
  path: string,
  init: {
    token?: string | null;
    body?: unknown;
    raw?: string | Uint8Array<ArrayBuffer>;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token !== null) headers.authorization ??= `Bearer ${init.token ?? world.tokens.admin}`;
  if (init.body !== undefined || init.raw !== undefined) headers["content-type"] ??= "application/json";
  try {
    const res = await fetch(`${world.base}${path}`, {
      method,
      headers,
      ...(init.raw !== undefined
        ? { body: init.raw }
        : init.body !== undefined
          ? { body: JSON.stringify(init.body) }
          : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  } catch (error) {
    return { status: 0, text: "", json: undefined, failure: String(error).slice(0, 200) };
  }
}

/**
 * POSTs `bytes` of JSON over a raw socket, reading while it writes: a server that refuses at the limit
 * answers (413) and closes mid-upload, which an HTTP client reports only as EPIPE or "fetch failed".
 */
function sendOversize(world: World, path: string, token: string | undefined, bytes: number): Promise<Answer> {
  const url = new URL(world.base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = "";
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const head = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (!head) {
        resolve({
          status: 0,
          text: "",
          json: undefined,
          failure: "no HTTP answer before the connection ended",
        });
        return;
      }
      const text = received.slice(received.indexOf("\r\n\r\n") + 4);
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ status: Number(head[1]), text, json });
    };
    const timer = setTimeout(finish, 30_000);
    socket.on("data", (d: Buffer) => {
      received += d.toString();
      // The whole answer is here once its declared length has arrived (or the server closes).
      const end = received.indexOf("\r\n\r\n");
      const length = /content-length: *(\d+)/i.exec(received)?.[1];
      if (end >= 0 && length !== undefined && received.length - end - 4 >= Number(length)) finish();
    });
    socket.on("close", finish);
    socket.on("error", () => {}); // EPIPE/ECONNRESET after the server closed: what was read decides.
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token ?? world.tokens.admin}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${bytes}\r\nConnection: close\r\n\r\n{`,
    );
    const chunk = Buffer.alloc(64 * 1024, "x");
    let sent = 1;
    // Like a client that sent "Expect: 100-continue", it waits a moment for an early answer: a server
    // that refuses the declared length answers at once, and a reset mid-upload could drop that answer.
    const pumpLater = setTimeout(() => pump(), 1_000);
    socket.once("data", () => clearTimeout(pumpLater));
    const pump = () => {
      while (sent < bytes && !finished && !socket.destroyed) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          socket.once("drain", pump);
          return;
        }
      }
    };
  });
}

/** Judges an answer that should be a refusal: a crash, a leak, a wrong acceptance, or refused. */
export function judgeRefusal(
  world: World,
  answer: Answer,
  refusedWith: (status: number) => boolean,
  ranBefore: number,
): { verdict: Verdict; note?: string } {
  if (answer.failure) return { verdict: "crash", note: answer.failure };
  // 502 with "failed" is the sidecar's own refusal passed on (the boundary is enforced there too).
  const sidecarRefused = answer.status === 502 && answer.json?.status === "failed";
  if (answer.status >= 500 && !sidecarRefused)
    return { verdict: "crash", note: `${answer.status} ${answer.text.slice(0, 200)}` };
  const secret = world.secrets.find((s) => answer.text.includes(s));
  if (secret) return { verdict: "leaked", note: "a secret in the answer" };
  if (world.runs().length > ranBefore) return { verdict: "wrong", note: `ran: ${world.runs().at(-1)}` };
  if (!refusedWith(answer.status) && !sidecarRefused)
    return { verdict: "wrong", note: `${answer.status} ${answer.text.slice(0, 200)}` };
  // 431: Node's HTTP parser refuses oversized headers itself, before any route, with no body.
  if (answer.status === 431 || sidecarRefused) return { verdict: "refused" };
  if (!answer.json || typeof answer.json.message !== "string")
    return { verdict: "wrong", note: `the refusal says nothing: ${answer.text.slice(0, 120)}` };
  return { verdict: "refused" };
}

const is4xx = (s: number) => s >= 400 && s < 500;

/** Every route of the OpenAPI document without a valid credential. */
async function authCases(world: World, tally: Tally): Promise<void> {
  const doc = (await call(world, "GET", "/agent/openapi.json")).json as {
    paths?: Record<string, Record<string, unknown>>;
  };
  // The /agent/* API's routes: liveness and Telegram's webhook take no API token, and /mcp answers
  // refusals as JSON-RPC errors (its own tests cover them).
  const routes = Object.entries(doc?.paths ?? {})
    .filter(([path]) => path.startsWith("/agent/"))
    .flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x") })),
    );
  routes.push({ method: "GET", path: "/agent/audit" }, { method: "GET", path: "/agent/commands/x" });
  const t = world.tokens.admin;
  const bad: [string, Record<string, string>][] = [
    ["no credential", {}],
    ["empty bearer", { authorization: "Bearer " }],
    ["wrong token", { authorization: `Bearer ${crypto.randomUUID()}` }],
    [
      "token with one character changed",
      { authorization: `Bearer ${t.slice(0, -1)}${t.endsWith("a") ? "b" : "a"}` },
    ],
    ["token prefix", { authorization: `Bearer ${t.slice(0, 10)}` }],
    ["token in basic auth", { authorization: `Basic ${btoa(`admin:${t}`)}` }],
    ["token in a query-like header", { "x-api-key": t }],
    ["100 kB token", { authorization: `Bearer ${"A".repeat(100_000)}` }],
  ];
  for (const route of routes)
    for (const [name, headers] of bad) {
      const before = world.runs().length;
      const answer = await call(world, route.method, route.path, {
        token: null,
        headers,
        ...(route.method === "GET" || route.method === "DELETE"
          ? {}
          : { body: { vm: "vm1", service: "web", action: "restart", text: "restart web" } }),
      });
      tally.record({
        group: "auth",
        name: `${route.method} ${route.path}: ${name}`,
        ...judgeRefusal(world, answer, (s) => s === 401 || s === 431, before),
      });
    }
}

/** Roles: a viewer may not change anything, an operator may not do an admin's work. */
async function roleCases(world: World, tally: Tally): Promise<void> {
  const changes: [string, string, unknown][] = [
    ["POST", "/agent/service/restart", { service: "web" }],
    ["POST", "/agent/vm/reboot", { vm: "vm1" }],
    ["POST", "/agent/code/deploy", { service: "web" }],
    ["POST", "/agent/backup", { vm: "vm1" }],
    ["POST", "/agent/restore", { vm: "vm1", service: "web", path: "data" }],
    ["POST", "/agent/fix", { vm: "vm1", service: "web", rule: "port-in-use" }],
    ["POST", "/agent/commands", { vm: "vm1", action: "restart", args: { service: "web" } }],
    ["POST", "/agent/commands", { vm: "vm1", action: "reboot" }],
    ["GET", "/agent/audit", undefined],
  ];
  for (const [method, path, body] of changes) {
    const before = world.runs().length;
    const answer = await call(world, method, path, {
      token: world.tokens.viewer,
      ...(body === undefined ? {} : { body }),
    });
    tally.record({
      group: "roles",
      name: `viewer ${method} ${path}`,
      ...judgeRefusal(world, answer, (s) => s === 403, before),
    });
  }
  for (const text of ["restart web on vm1", "reboot vm1", "перезагрузи vm1"]) {
    const before = world.runs().length;
    const answer = await call(world, "POST", "/agent/ask", { token: world.tokens.viewer, body: { text } });
    tally.record({
      group: "roles",
      name: `viewer asks "${text}"`,
      fault: "viewer-ask-200",
      // /agent/ask answers in words: the refusal's sentence is its `text`.
      ...judgeRefusal(world, { ...answer, json: { message: answer.json?.text } }, (s) => s === 403, before),
    });
  }
  for (const [method, path, body] of [
    ["POST", "/agent/vm/reboot", { vm: "vm1" }],
    ["POST", "/agent/commands", { vm: "vm2", action: "reboot" }],
    ["GET", "/agent/audit", undefined],
  ] as const) {
    const before = world.runs().length;
    const answer = await call(world, method, path, {
      token: world.tokens.operator,
      ...(body === undefined ? {} : { body }),
    });
    tally.record({
      group: "roles",
      name: `operator ${method} ${path}`,
      ...judgeRefusal(world, answer, (s) => s === 403, before),
    });
  }
}

const hostileNames = [
  "web;id",
  "$(id)",
  "`id`",
  "web && reboot",
  "web|sh",
  "../../etc/passwd",
  "web/../db",
  "web\u0000",
  "web\n",
  "web ",
  " web",
  "-rf",
  "--help",
  "sshd",
  "WEB",
  "web\u202e",
  "x".repeat(10_000),
  "",
  ".",
  "..",
  "*",
  "web?",
  "%2e%2e",
  "\\x00",
  "web'",
  'web"',
  "{web}",
  "веб",
];
const hostileValues: unknown[] = [
  null,
  12,
  -1,
  1e308,
  true,
  ["web"],
  { $ne: 1 },
  { __proto__: { admin: true } },
];

/** Hostile arguments for every changing action: each refused before anything runs. */
async function inputCases(world: World, tally: Tally): Promise<void> {
  const token = world.tokens.operator;
  const attempts: { name: string; body: unknown; fault?: string }[] = [];
  for (const action of ["restart", "logs", "errors", "deploy", "config", "backup", "restore", "fix"])
    for (const v of [...hostileNames, ...hostileValues])
      attempts.push({
        name: `${action} service=${JSON.stringify(v)?.slice(0, 30)}`,
        body: { vm: "vm1", action, args: { service: v } },
      });
  for (const v of [...hostileNames, ...hostileValues, "all;id"])
    attempts.push({
      name: `restart vm=${JSON.stringify(v)?.slice(0, 30)}`,
      body: { vm: v, action: "restart", args: { service: "web" } },
    });
  for (const a of [
    "rm -rf /",
    "__proto__",
    "constructor",
    "restart;id",
    "RESTART",
    "shell",
    "exec",
    "x".repeat(5000),
  ])
    attempts.push({
      name: `action=${a.slice(0, 30)}`,
      body: { vm: "vm1", action: a, args: { service: "web" } },
    });
  for (const lines of [-1, 0, 1e12, "10;id", 1.5, "NaN", [1]])
    attempts.push({
      name: `logs lines=${JSON.stringify(lines)}`,
      body: { vm: "vm1", action: "logs", args: { service: "web", lines } },
    });
  for (const path of ["/etc/shadow", "../x.conf", "/etc/nginx/../shadow", "-oProxyCommand=x", "x.conf\u0000"])
    attempts.push({
      name: `config path=${JSON.stringify(path)}`,
      body: { vm: "vm1", action: "config", args: { service: "web", path, content: "x" } },
      ...(path.startsWith("-") ? { fault: "dash-path" } : {}),
    });
  for (const ref of ["main..evil", "--upload-pack=touch /tmp/x", "-x", "main;id", "HEAD@{1}", "refs/../x"])
    attempts.push({
      name: `deploy ref=${JSON.stringify(ref)}`,
      body: { vm: "vm1", action: "deploy", args: { service: "web", ref } },
      ...(ref.includes("..") ? { fault: "git-ref-dots" } : {}),
    });
  attempts.push({
    name: "extra argument smuggled",
    body: { vm: "vm1", action: "restart", args: { service: "web", command: "id" } },
  });
  for (const attempt of attempts) {
    const before = world.runs().length;
    const answer = await call(world, "POST", "/agent/commands", { token, body: attempt.body });
    tally.record({
      group: "input",
      name: attempt.name,
      ...(attempt.fault ? { fault: attempt.fault } : {}),
      ...judgeRefusal(world, answer, is4xx, before),
    });
  }
  const raw: [string, string | Uint8Array<ArrayBuffer>, Record<string, string>?][] = [
    ["invalid JSON", '{"vm": "vm1", '],
    ["JSON array", "[1,2,3]"],
    ["JSON string", '"restart"'],
    ["deeply nested JSON", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["binary body", crypto.getRandomValues(new Uint8Array(4096))],
    ["form body", "vm=vm1&action=restart", { "content-type": "application/x-www-form-urlencoded" }],
  ];
  for (const [name, body, headers] of raw) {
    const before = world.runs().length;
    const answer = await call(world, "POST", "/agent/commands", {
      token,
      raw: body,
      ...(headers ? { headers } : {}),
    });
    tally.record({ group: "input", name, ...judgeRefusal(world, answer, is4xx, before) });
  }
  for (const path of ["/agent/commands", "/agent/ask", "/agent/service/restart", "/telegram"]) {
    const before = world.runs().length;
    const answer = await sendOversize(world, path, token, 8 * 1024 * 1024);
    tally.record({
      group: "input",
      name: `8 MB body to ${path}`,
      fault: "body-limit",
      ...judgeRefusal(world, answer, (s) => s === 413, before),
    });
  }
}

/** Confirmations: only the requester, only once, only a real id; 20 parallel confirms have one winner. */
async function confirmationCases(world: World, tally: Tally): Promise<void> {
  const request = async () => {
    // A deploy needs a confirmation and reaches the sidecar (a reboot goes to the watchdog, which
    // on this secondary controller declines it without the fencing lease).
    const answer = await call(world, "POST", "/agent/code/deploy", { body: { vm: "vm1", service: "web" } });
    const id = answer.json?.confirmationId;
    if (answer.status !== 202 || typeof id !== "string")
      throw new Error(`no confirmation: ${answer.status} ${answer.text}`);
    return id;
  };
  const settle = (id: string, token: string, method = "POST") =>
    call(world, method, `/agent/confirmations/${id}`, { token });
  const refused = (s: number) => s === 403 || s === 404 || s === 409;
  const id1 = await request();
  for (const [who, token] of [
    ["another admin", world.tokens.admin2],
    ["an operator", world.tokens.operator],
    ["a viewer", world.tokens.viewer],
  ] as const) {
    const before = world.runs().length;
    tally.record({
      group: "confirm",
      name: `${who} confirms someone else's deploy`,
      ...judgeRefusal(world, await settle(id1, token), refused, before),
    });
  }
  for (let i = 0; i < 40; i++) {
    const before = world.runs().length;
    const last = String.fromCharCode(65 + (i % 26));
    const forged =
      i < 20 ? crypto.randomUUID() : `${id1.slice(0, -1)}${id1.endsWith(last) ? last.toLowerCase() : last}`;
    tally.record({
      group: "confirm",
      name: `forged confirmation id ${i}`,
      ...judgeRefusal(world, await settle(forged, world.tokens.admin), refused, before),
    });
  }
  for (const odd of ["..%2f..%2faudit", "%00", "x".repeat(4000)]) {
    const before = world.runs().length;
    tally.record({
      group: "confirm",
      name: `odd confirmation id ${odd.slice(0, 12)}`,
      ...judgeRefusal(world, await settle(odd, world.tokens.admin), (s) => is4xx(s), before),
    });
  }
  // 20 parallel confirms by the requester: exactly one runs.
  const before = world.runs().length;
  const answers = await Promise.all(Array.from({ length: 20 }, () => settle(id1, world.tokens.admin)));
  await new Promise((r) => setTimeout(r, 500));
  const winners = answers.filter((a) => a.status === 200).length;
  const ran = world.runs().length - before;
  const crashed = answers.find((a) => a.failure || a.status >= 500);
  tally.record({
    group: "confirm",
    name: "20 parallel confirms",
    ...(crashed
      ? { verdict: "crash" as const, note: crashed.failure ?? crashed.text.slice(0, 200) }
      : winners === 1 && ran === 1
        ? { verdict: "refused" as const }
        : { verdict: "wrong" as const, note: `${winners} winners, ran ${ran} times` }),
  });
  const replayBefore = world.runs().length;
  tally.record({
    group: "confirm",
    name: "replayed confirmation",
    ...judgeRefusal(world, await settle(id1, world.tokens.admin), refused, replayBefore),
  });
  const id2 = await request();
  await settle(id2, world.tokens.admin, "DELETE");
  const cancelBefore = world.runs().length;
  tally.record({
    group: "confirm",
    name: "confirm after cancel",
    ...judgeRefusal(world, await settle(id2, world.tokens.admin), refused, cancelBefore),
  });
  const id3 = await request();
  const otherBefore = world.runs().length;
  tally.record({
    group: "confirm",
    name: "another admin cancels someone else's",
    ...judgeRefusal(world, await settle(id3, world.tokens.admin2, "DELETE"), refused, otherBefore),
  });
}

/** Runs the HTTPS API groups. */
export async function runHttpCases(world: World, tally: Tally): Promise<void> {
  await authCases(world, tally);
  await roleCases(world, tally);
  await inputCases(world, tally);
  await confirmationCases(world, tally);
}
