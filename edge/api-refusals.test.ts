import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { benchInventory, createDeskBench, type DeskBench } from "../test/desk/desk-bench.ts";
import { mountOperations } from "./api-routes.ts";
import { createApp } from "./app.ts";
import type { CodeDesk } from "./code/code-desk.ts";
import { mountCodeRoutes } from "./code/code-routes.ts";
import type { Role } from "./core/actors.ts";
import { acceptLanguage, type RefusalKind, refusalKinds, refusalSentence } from "./core/api-language.ts";
import type { Lang } from "./core/desk.ts";

const ADMIN = "refusals-admin-token-01";
const VIEWER = "refusals-viewer-token-1";

/** The code routes' refusals here never reach the code desk; one that does is a test failure. */
const unreachableCodeDesk = new Proxy({} as CodeDesk, {
  get: (_t, name) => () => {
    throw new Error(`the code desk was called (${String(name)}) for a request the route must refuse`);
  },
});

let b: DeskBench;
let app: ReturnType<typeof createApp>;
beforeEach(() => {
  b = createDeskBench();
  b.connect("vm1");
  b.connect("vm2");
  app = createApp({
    controller: b.controller,
    apiTokens: new Map<string, Role>([
      [ADMIN, "admin"],
      [VIEWER, "viewer"],
    ]),
    extend: (a) => {
      mountOperations(a, { controller: b.controller, desk: b.desk, inventory: benchInventory });
      mountCodeRoutes(a, unreachableCodeDesk);
      a.get("/agent/test-failure", () => {
        throw new Error("a route that fails");
      });
    },
  });
});
afterEach(() => b.close());

interface Case {
  readonly name: string;
  readonly path: string;
  readonly method?: string;
  readonly body?: unknown;
  /** A raw body, sent as is (not JSON-encoded). */
  readonly raw?: string;
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly error: string;
  /** The request field a 400 must name (in `fields` and in the sentence). */
  readonly field?: string;
  /** The API's own refusal this case must produce (checked word for word in both languages). */
  readonly kind?: RefusalKind;
}

/** Every refusal an `/agent/*` route answers, one request each. */
const cases: Case[] = [
  {
    name: "no token",
    path: "/agent/health",
    token: null,
    status: 401,
    error: "unauthorized",
    kind: "no-token",
  },
  {
    name: "a wrong token",
    path: "/agent/health",
    token: "not-a-token-at-all-00000",
    status: 401,
    error: "unauthorized",
    kind: "invalid-token",
  },
  {
    name: "a body that is not JSON",
    path: "/agent/commands",
    method: "POST",
    raw: "{not json",
    status: 400,
    error: "bad-request",
    kind: "bad-json",
  },
  { name: "a failing route", path: "/agent/test-failure", status: 500, error: "internal", kind: "internal" },
  { name: "no such route", path: "/agent/nowhere", status: 404, error: "not-found", kind: "no-route" },
  {
    name: "command results as a viewer",
    path: "/agent/commands/c-1",
    token: VIEWER,
    status: 403,
    error: "forbidden",
    kind: "needs-operator",
  },
  {
    name: "an unknown command id",
    path: "/agent/commands/c-404",
    status: 404,
    error: "not-found",
    kind: "no-command",
  },
  {
    name: "the audit as a viewer",
    path: "/agent/audit",
    token: VIEWER,
    status: 403,
    error: "forbidden",
    kind: "needs-admin",
  },
  {
    name: "the status of an unknown VM",
    path: "/agent/vm/status?vm=vm9",
    status: 404,
    error: "unknown-vm",
    kind: "unknown-vm",
  },
  {
    name: "a reboot's follow-up without ?vm=",
    path: "/agent/vm/reboot",
    status: 400,
    error: "bad-request",
    field: "vm",
  },
  {
    name: "a reboot's follow-up with ?vm= empty",
    path: "/agent/vm/reboot?vm=",
    status: 400,
    error: "bad-request",
    field: "vm",
  },
  {
    name: "the status with ?vm= empty",
    path: "/agent/vm/status?vm=",
    status: 400,
    error: "bad-request",
    field: "vm",
  },
  ...["/agent/logs/nginx?vm=", "/agent/errors?vm=", "/agent/metrics?vm="].map(
    (path): Case => ({
      name: `${path.split("?")[0]} with ?vm= empty`,
      path,
      status: 400,
      error: "bad-request",
      field: "vm",
    }),
  ),
  {
    name: "a restart of an empty service name",
    path: "/agent/service/restart",
    method: "POST",
    body: { service: "" },
    status: 400,
    error: "bad-request",
    field: "service",
  },
  {
    name: "a vm that is not a name",
    path: "/agent/service/restart",
    method: "POST",
    body: { vm: 7, service: "nginx" },
    status: 400,
    error: "bad-request",
    field: "vm",
  },
  {
    name: "a command without an action",
    path: "/agent/commands",
    method: "POST",
    body: { vm: "vm1" },
    status: 400,
    error: "bad-request",
    field: "action",
  },
  {
    name: "a command whose args are not an object",
    path: "/agent/commands",
    method: "POST",
    body: { vm: "vm1", action: "status", args: "nginx" },
    status: 400,
    error: "bad-request",
    field: "args",
  },
  {
    name: "ask without text",
    path: "/agent/ask",
    method: "POST",
    body: {},
    status: 400,
    error: "bad-request",
    field: "text",
  },
  {
    name: "a code request without text",
    path: "/agent/code",
    method: "POST",
    body: { service: "grok-voice" },
    status: 400,
    error: "bad-request",
    field: "text",
  },
  {
    name: "a code request whose service is not a name",
    path: "/agent/code",
    method: "POST",
    body: { text: "add a /health endpoint", service: ["api"] },
    status: 400,
    error: "bad-request",
    field: "service",
  },
  {
    name: "a reboot without a vm",
    path: "/agent/vm/reboot",
    method: "POST",
    body: {},
    status: 400,
    error: "bad-request",
    field: "vm",
  },
  {
    name: "the follow-up of a reboot never asked",
    path: "/agent/vm/reboot?vm=vm1",
    status: 404,
    error: "no-reboot",
    kind: "no-reboot",
  },
  {
    name: "a body over the limit",
    path: "/agent/config",
    method: "POST",
    raw: `{"content": "${"x".repeat(1_100_000)}"}`,
    status: 413,
    error: "payload-too-large",
    kind: "too-large",
  },
  // Refusals the routes word from the inventory and the desk (no fixed kind).
  {
    name: "a service on two VMs",
    path: "/agent/service/restart",
    method: "POST",
    body: { service: "nginx" },
    status: 422,
    error: "target",
  },
  {
    name: "an unknown service",
    path: "/agent/service/restart",
    method: "POST",
    body: { service: "ghost" },
    status: 422,
    error: "target",
  },
  {
    name: "a command to an unknown VM",
    path: "/agent/commands",
    method: "POST",
    body: { vm: "vm9", action: "status" },
    status: 422,
    error: "invalid-request",
  },
  {
    name: "an unknown action",
    path: "/agent/commands",
    method: "POST",
    body: { vm: "vm1", action: "format-disk" },
    status: 400,
    error: "bad-request",
    field: "action",
  },
  {
    name: "an argument the action does not take",
    path: "/agent/commands",
    method: "POST",
    body: { vm: "vm1", action: "status", args: { color: "red" } },
    status: 422,
    error: "invalid-request",
  },
  {
    name: "a missing argument",
    path: "/agent/commands",
    method: "POST",
    body: { vm: "vm1", action: "logs" },
    status: 422,
    error: "invalid-request",
  },
  {
    name: "an argument of the wrong type",
    path: "/agent/commands",
    method: "POST",
    body: { vm: "vm1", action: "logs", args: { service: "nginx", lines: "many" } },
    status: 422,
    error: "invalid-request",
  },
  {
    name: "a number too large",
    path: "/agent/logs/nginx?vm=vm1&lines=5000",
    status: 400,
    error: "bad-request",
    field: "lines",
  },
  {
    name: "a number too small",
    path: "/agent/logs/nginx?vm=vm1&lines=0",
    status: 400,
    error: "bad-request",
    field: "lines",
  },
  {
    name: "a value not in the list",
    path: "/agent/metrics?vm=vm1&metric=gpu",
    status: 400,
    error: "bad-request",
    field: "metric",
  },
  {
    name: "a malformed git ref",
    path: "/agent/code/deploy",
    method: "POST",
    body: { vm: "vm1", service: "grok-voice", ref: "main..evil" },
    status: 400,
    error: "bad-request",
    field: "ref",
  },
  {
    name: "a restart a viewer may not run",
    path: "/agent/service/restart",
    method: "POST",
    body: { vm: "vm1", service: "nginx" },
    token: VIEWER,
    status: 403,
    error: "denied",
  },
  {
    name: "an unknown confirmation",
    path: "/agent/confirmations/nope",
    method: "POST",
    body: {},
    status: 404,
    error: "unknown",
  },
];

const cyrillic = /[А-Яа-яЁё]/;

async function send(c: Case, lang: Lang, via: "header" | "body"): Promise<{ status: number; body: any }> {
  const token = c.token === undefined ? ADMIN : c.token;
  const method = c.method ?? "GET";
  const jsonBody =
    c.body !== undefined && via === "body" && typeof c.body === "object" ? { ...c.body, lang } : c.body;
  const res = await app.request(c.path, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(method === "GET" ? {} : { "content-type": "application/json" }),
      "accept-language":
        via === "header" ? (lang === "ru" ? "ru-RU,ru;q=0.9,en;q=0.5" : "en-GB,en;q=0.9") : "de",
      ...c.headers,
    },
    ...(c.raw !== undefined
      ? { body: c.raw }
      : jsonBody !== undefined
        ? { body: JSON.stringify(jsonBody) }
        : {}),
  });
  return { status: res.status, body: await res.json() };
}

describe("refusals on /agent/* in the caller's language", () => {
  const seen = new Set<string>();

  for (const c of cases)
    for (const lang of ["en", "ru"] as const)
      it(`${c.name} (${lang})`, async () => {
        const { status, body } = await send(c, lang, "header");
        expect(status).toBe(c.status);
        expect(body.error).toBe(c.error);
        const message: string = body.message;
        // A whole sentence: a capital (or a quoted name) first, a full stop last.
        expect(message).toMatch(/^(["«][^"»]+["»]|[A-ZА-ЯЁ]).*[.!?]$/s);
        if (lang === "ru") expect(message).toMatch(cyrillic);
        else expect(message).not.toMatch(cyrillic);
        expect(message).not.toMatch(/^\s*[{[]|at \w+ \(|Error:|undefined|\[object/);
        if (c.field) {
          expect(body.fields).toEqual([c.field]);
          expect(message).toMatch(new RegExp(`(field|пол[ея]) ${c.field}\\b`, "i"));
        }
        if (c.kind) {
          expect(message).toBe(
            refusalSentence(c.kind, lang, {
              method: c.method ?? "GET",
              path: c.path.split("?")[0] ?? "",
              role: "viewer",
              id: "c-404",
              vm: c.kind === "no-reboot" ? "vm1" : "vm9",
              known: "vm1, vm2",
              services: "grok-voice, admin-api, nginx, worker-queue, mcp-hub, postgresql, billing-api",
              kb: 1024,
              requestId: body.requestId ?? "",
            }),
          );
          seen.add(`${c.kind}:${lang}`);
        }
      });

  it("covers every refusal kind the API words itself, in both languages", () => {
    expect([...seen].sort()).toEqual(refusalKinds.flatMap((k) => [`${k}:en`, `${k}:ru`]).sort());
  });

  it("takes the language from the JSON body over Accept-Language", async () => {
    for (const c of cases.filter(
      (x) => x.body !== undefined && typeof x.body === "object" && x.token === undefined,
    )) {
      const ru = await send(c, "ru", "body");
      expect(ru.body.message, c.name).toMatch(cyrillic);
      const en = await send(c, "en", "body");
      expect(en.body.message, c.name).not.toMatch(cyrillic);
    }
  });

  it("takes ?lang= on a GET", async () => {
    const res = await app.request("/agent/vm/status?vm=vm9&lang=ru", {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(((await res.json()) as { message: string }).message).toMatch(/^VM «vm9» нет в инвентаре/);
  });
});

describe("acceptLanguage", () => {
  it("picks Russian or English by q-value, English when neither is asked for", () => {
    expect(acceptLanguage("ru-RU,ru;q=0.9,en-US;q=0.8")).toBe("ru");
    expect(acceptLanguage("en;q=0.5, ru;q=0.7")).toBe("ru");
    expect(acceptLanguage("de-DE, en;q=0.3, ru;q=0.2")).toBe("en");
    expect(acceptLanguage("ru;q=0")).toBe("en");
    expect(acceptLanguage("fr")).toBe("en");
    expect(acceptLanguage(undefined)).toBe("en");
  });
});
