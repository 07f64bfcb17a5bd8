/**
 * The OpenAPI document against the routes it describes: a Node host with a real sidecar process for
 * vm1 (the end-to-end world), every route Hono registered is documented and every documented route
 * registered, the document is valid OpenAPI 3.1, and each route is called for a success and a
 * refusal whose real answers are validated against the document's schema for their status.
 */
import { Validator as JsonSchemaValidator, type Schema } from "@cfworker/json-schema";
import { Validator as OpenApiValidator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../edge/api-spec.ts";
import { openApiPath } from "../../edge/openapi-document.ts";
import { startWorld, tokens, type World } from "../e2e/world.ts";
import { stopAll } from "../support/child.ts";

let w: World;
let doc: any;
beforeAll(async () => {
  w = await startWorld();
  doc = (await w.api("/agent/openapi.json", { token: tokens.viewer })).body;
}, 30_000);
afterAll(async () => {
  await w?.close();
  await stopAll();
});

interface Call {
  readonly method: string;
  readonly path: string;
  /** The document's path the call is checked against. */
  readonly route: string;
  readonly body?: unknown;
  /** The bearer token; null sends none. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: unknown;
}

async function call(c: Call): Promise<Answer> {
  const token = c.token === undefined ? tokens.admin : c.token;
  const res = await fetch(`${w.host.url}${c.path}`, {
    method: c.method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...c.headers,
    },
    ...(c.body === undefined ? {} : { body: typeof c.body === "string" ? c.body : JSON.stringify(c.body) }),
  });
  const type = res.headers.get("content-type") ?? "";
  const text = await res.text();
  return { status: res.status, type, body: type.includes("json") ? JSON.parse(text) : text };
}

/** A schema of the document, its `$ref` to a shared schema followed. */
function resolved(schema: any): any {
  const ref: unknown = schema?.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.replace(/^#\/components\/schemas\//, "");
  expect(doc.components.schemas[name], `${ref} is in the document`).toBeDefined();
  return doc.components.schemas[name];
}

/** Checks an answer against the document's schema for its status; returns what does not match. */
function mismatch(c: Call, answer: Answer): string | undefined {
  const op = doc.paths[c.route]?.[c.method.toLowerCase()];
  if (!op) return `${c.method} ${c.route} is not in the document`;
  const response = op.responses[String(answer.status)];
  if (!response) return `${c.method} ${c.path} answered ${answer.status}, which the document does not list`;
  const content = Object.entries(response.content ?? {}) as [string, { schema: Schema }][];
  const media = content.find(([type]) => answer.type.startsWith(type))?.[1];
  if (!media)
    return `${c.method} ${c.path} answered ${answer.type}, the document says ${content.map(([t]) => t).join(" or ")}`;
  // An event stream is checked for its media type only: its events are JSON-RPC, not one JSON body.
  if (answer.type.startsWith("text/event-stream")) return undefined;
  // The schema's $refs point into the document's components; the validator resolves them there.
  const schema = { ...media.schema, components: doc.components } as Schema;
  const result = new JsonSchemaValidator(schema, "2020-12", false).validate(answer.body);
  if (!result.valid)
    return `${c.method} ${c.path} ${answer.status}: ${JSON.stringify(result.errors.slice(0, 3))} in ${JSON.stringify(answer.body).slice(0, 400)}`;
  return undefined;
}

/** Calls and checks; returns the answer for tests that chain calls. */
async function checked(c: Call, expected: readonly number[]): Promise<Answer> {
  const answer = await call(c);
  expect(expected, `${c.method} ${c.path}: ${JSON.stringify(answer.body).slice(0, 300)}`).toContain(
    answer.status,
  );
  expect(mismatch(c, answer)).toBeUndefined();
  return answer;
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const validator = new OpenApiValidator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("documents every route Hono registered, and registers every documented route", () => {
    const registered = new Set(
      w.host.runtime.app.routes
        .filter((r) => !r.path.includes("*"))
        .flatMap((r) =>
          r.method === "ALL"
            ? ["get", "post", "delete"].map((m) => `${m} ${openApiPath(r.path)}`)
            : [`${r.method.toLowerCase()} ${openApiPath(r.path)}`],
        ),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m} ${path}`),
      ),
    );
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    // Routes a host mounts only when configured for them (Telegram) are the only ones allowed missing.
    const optional = new Set(
      apiRoutes.filter((r) => r.when).map((r) => `${r.method} ${openApiPath(r.path)}`),
    );
    expect([...documented].filter((d) => !registered.has(d) && !optional.has(d))).toEqual([]);
  });

  it("gives every operation its parameters, body and responses, refusals included", () => {
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>))
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
        expect(
          Object.keys(op.responses).some((s) => s.startsWith("2")),
          where,
        ).toBe(true);
        for (const name of path.match(/\{(\w+)\}/g) ?? [])
          expect(
            op.parameters?.some((p: any) => p.in === "path" && `{${p.name}}` === name),
            `${where} ${name}`,
          ).toBe(true);
        if (path.startsWith("/agent/")) {
          expect(op.responses["401"], where).toBeDefined();
          expect(resolved(op.responses["401"].content["application/json"].schema).required).toEqual([
            "error",
            "message",
          ]);
        }
        if (method === "post" && path.startsWith("/agent/"))
          expect(op.requestBody?.content["application/json"].schema.properties.lang, where).toBeDefined();
      }
    // Liveness answers text in both states.
    for (const status of ["200", "503"])
      expect(Object.keys(doc.paths["/healthz"].get.responses[status].content)).toEqual(["text/plain"]);
    // The drift the hand-written document had: /agent/fix without rule.
    expect(
      doc.paths["/agent/fix"].post.requestBody.content["application/json"].schema.properties.rule,
    ).toEqual({
      type: "string",
      maxLength: 64,
    });
  });
});

describe("each route answers what the document says", () => {
  it("liveness, health, the document, status, audit, command lookups", async () => {
    await checked({ method: "GET", path: "/healthz", route: "/healthz", token: null }, [200]);
    await checked({ method: "GET", path: "/agent/health", route: "/agent/health" }, [200]);
    await checked({ method: "GET", path: "/agent/health", route: "/agent/health", token: null }, [401]);
    await checked({ method: "GET", path: "/agent/openapi.json", route: "/agent/openapi.json" }, [200]);
    await checked(
      { method: "GET", path: "/agent/openapi.json", route: "/agent/openapi.json", token: "not-a-token-0001" },
      [401],
    );
    const status = { route: "/agent/vm/status", method: "GET" } as const;
    await checked({ ...status, path: "/agent/vm/status?live=1" }, [200]);
    await checked({ ...status, path: "/agent/vm/status?vm=nosuch&lang=ru" }, [404]);
    await checked({ method: "GET", path: "/agent/audit?limit=5", route: "/agent/audit" }, [200]);
    await checked(
      { method: "GET", path: "/agent/audit", route: "/agent/audit", token: tokens.viewer },
      [403],
    );

    const ran = await checked(
      {
        method: "POST",
        path: "/agent/commands",
        route: "/agent/commands",
        body: { action: "status", vm: "vm1" },
      },
      [200],
    );
    const id = (ran.body as any).results[0].outcome.id as string;
    const lookup = { method: "GET", route: "/agent/commands/{id}" } as const;
    await checked({ ...lookup, path: `/agent/commands/${id}` }, [200]);
    await checked({ ...lookup, path: `/agent/commands/${id}`, token: tokens.viewer }, [403]);
    await checked({ ...lookup, path: "/agent/commands/nosuchcommand01" }, [404]);
    await checked({ method: "POST", path: "/agent/commands", route: "/agent/commands", body: {} }, [400]);
    await checked(
      { method: "POST", path: "/agent/commands", route: "/agent/commands", body: "{not json" },
      [400],
    );
  }, 60_000);

  it("the read routes", async () => {
    const logs = { method: "GET", route: "/agent/logs/{service}" } as const;
    await checked({ ...logs, path: "/agent/logs/grok-voice?lines=5" }, [200]);
    await checked({ ...logs, path: "/agent/logs/no-such-service?lang=ru" }, [422]);
    await checked({ method: "GET", path: "/agent/errors?vm=vm1", route: "/agent/errors" }, [200]);
    await checked({ method: "GET", path: "/agent/errors?service=$(id)", route: "/agent/errors" }, [400]);
    await checked({ method: "GET", path: "/agent/metrics?vm=vm1", route: "/agent/metrics" }, [200]);
    await checked(
      { method: "GET", path: "/agent/metrics?vm=vm1&metric=bogus", route: "/agent/metrics" },
      [400],
    );
    // vm2 has no sidecar in this world: the failure is an answer the document lists too.
    await checked({ method: "GET", path: "/agent/metrics?vm=vm2", route: "/agent/metrics" }, [503]);
  }, 60_000);

  it("/agent/ask", async () => {
    const ask = { method: "POST", path: "/agent/ask", route: "/agent/ask" } as const;
    await checked({ ...ask, body: { text: "check the status of the first machine" } }, [200]);
    await checked({ ...ask, body: { text: "перезагрузи первую машину" } }, [202]);
    await checked({ ...ask, body: { text: "" } }, [400]);
  }, 60_000);

  it("the changing routes: a pending confirmation or a run, and a refusal each", async () => {
    const post = (path: string, body: unknown, token?: string) => ({
      method: "POST",
      path,
      route: path,
      body,
      ...(token ? { token } : {}),
    });
    await checked(post("/agent/service/restart", { service: "grok-voice" }), [200]);
    await checked(post("/agent/service/restart", { service: "grok-voice; rm -rf /" }), [400]);
    await checked(post("/agent/service/restart", { service: "grok-voice" }, tokens.viewer), [403]);
    await checked(post("/agent/vm/reboot", { vm: "vm1", mode: "soft" }), [202]);
    await checked(post("/agent/vm/reboot", {}), [400]);
    // No service of this world has a checkout, so the desk refuses a deploy here.
    await checked(post("/agent/code/deploy", { service: "grok-voice", ref: "main" }), [422]);
    await checked(post("/agent/code/deploy", { service: "grok-voice", ref: "a..b" }), [400]);
    await checked(
      post("/agent/config", { vm: "vm1", service: "nginx", file: "etc/nginx/nginx.conf", content: "x" }),
      [202],
    );
    await checked(post("/agent/config", { vm: "vm1", service: "nginx", file: "../etc/passwd" }), [400]);
    // This world's inventory names no backup repository: the desk refuses with a sentence that says so.
    await checked(post("/agent/backup", { vm: "vm1", reason: "test" }), [422]);
    await checked(post("/agent/restore", { vm: "vm1", path: "etc/nginx/nginx.conf" }), [422]);
    await checked(post("/agent/restore", { vm: "vm1", path: "../x" }), [400]);
    await checked(post("/agent/fix", { service: "grok-voice", rule: "service-down" }), [202]);
    await checked(post("/agent/fix", { service: "grok-voice", rule: 5 }), [400]);
  }, 120_000);

  it("every documented field of every route, given a value its schema rejects, gets a 400 that names it", async () => {
    // Generated from the document: a new route or field is covered without a change here. Each field in
    // turn gets a value of another type (or, in a path or query, text its schema rejects); the others
    // keep valid values, so the refusal must name that field alone, as a sentence in the caller's language.
    const valid: Record<string, unknown> = {
      vm: "vm1",
      service: "grok-voice",
      action: "status",
      text: "status",
      id: "nosuchconfirm0001",
      path: "etc/nginx/nginx.conf",
      file: "etc/nginx/nginx.conf",
    };
    const rejects = (schema: Schema, value: unknown) =>
      !new JsonSchemaValidator(schema, "2020-12", false).validate(value).valid;
    /** Text a path or query schema rejects: empty (not in a path), shell characters, too long, or not a number. */
    const badText = (schema: Schema, where: string) =>
      [...(where === "path" ? [] : [""]), "$(id) ;", "x".repeat(300), "not-a-number"].find((v) =>
        rejects(schema, v),
      );
    let covered = 0;
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>))
      for (const [method, op] of Object.entries(ops)) {
        if (!path.startsWith("/agent/")) continue;
        const params: any[] = op.parameters ?? [];
        const bodySchema = op.requestBody?.content["application/json"].schema;
        const wrongs: { field: string; in: "path" | "query" | "body"; value: unknown }[] = [];
        for (const p of params) {
          // lang is ignored when it is not ru or en (Accept-Language decides), in a query as in a body.
          if (p.name === "lang") continue;
          const value = badText(p.schema, p.in);
          // A field that takes any text (e.g. ?live) has no wrong value to send.
          if (value !== undefined) wrongs.push({ field: p.name, in: p.in, value });
        }
        for (const [field, fieldSchema] of Object.entries(
          (bodySchema?.properties ?? {}) as Record<string, any>,
        )) {
          // lang is left out: a language the controller does not speak is ignored (Accept-Language decides).
          if (field === "lang") continue;
          const value = [{ not: "a string" }, "not this type", 12345].find((v) => rejects(fieldSchema, v));
          if (value !== undefined) wrongs.push({ field, in: "body", value });
        }
        for (const wrong of wrongs) {
          const pick = (where: string, value: (name: string) => unknown) =>
            params.filter((p) => p.in === where).map((p) => [p.name, value(p.name)] as const);
          const given = (name: string, where: string) =>
            name === wrong.field && where === wrong.in ? wrong.value : valid[name];
          let url = path;
          for (const [name, value] of pick("path", (n) => given(n, "path")))
            url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
          const query = pick("query", (n) => given(n, "query")).filter(([, v]) => v !== undefined);
          if (query.length > 0)
            url += `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)])).toString()}`;
          const body = bodySchema
            ? Object.fromEntries(
                Object.keys(bodySchema.properties ?? {})
                  .map((k) => [k, given(k, "body")] as const)
                  .filter(([, v]) => v !== undefined),
              )
            : undefined;
          const where = `${method} ${url} ${wrong.in} ${wrong.field}`;
          for (const lang of ["en", "ru"] as const) {
            const answer = await checked(
              {
                method: method.toUpperCase(),
                path: url,
                route: path,
                ...(body ? { body } : {}),
                headers: { "accept-language": lang },
              },
              [400],
            );
            const refusal = answer.body as { fields: string[]; message: string };
            // A required field this test has no valid value for may be named too; the wrong one always is.
            expect(refusal.fields, where).toContain(wrong.field);
            expect(refusal.message, where).toMatch(new RegExp(`(field|пол[ея]) ${wrong.field}\\b`, "i"));
            expect(refusal.message, where).toMatch(/[.!?]$/);
            if (lang === "ru") expect(refusal.message, where).toMatch(/[А-Яа-яЁё]/);
            else expect(refusal.message, where).not.toMatch(/[А-Яа-яЁё]/);
          }
          covered++;
        }
      }
    // Every route that takes input had at least one field to get wrong.
    expect(covered).toBeGreaterThan(30);
  }, 180_000);

  it("confirmations: confirm, cancel, and the refusals", async () => {
    const pending = await checked(
      { method: "POST", path: "/agent/vm/reboot", route: "/agent/vm/reboot", body: { vm: "vm1" } },
      [202],
    );
    const id = (pending.body as any).confirmationId as string;
    const at = (method: string, token?: string) => ({
      method,
      path: `/agent/confirmations/${id}`,
      route: "/agent/confirmations/{id}",
      ...(token ? { token } : {}),
    });
    await checked(at("POST", tokens.admin2), [409]);
    await checked(at("POST"), [200]);
    await checked(at("POST"), [409]);
    const second = await checked(
      { method: "POST", path: "/agent/fix", route: "/agent/fix", body: { service: "grok-voice" } },
      [202],
    );
    const cancel = {
      method: "DELETE",
      path: `/agent/confirmations/${(second.body as any).confirmationId}`,
      route: "/agent/confirmations/{id}",
    };
    await checked(cancel, [200]);
    await checked(cancel, [409]);
    await checked(
      {
        method: "DELETE",
        path: "/agent/confirmations/nosuchconfirm0001",
        route: "/agent/confirmations/{id}",
      },
      [404],
    );
  }, 60_000);

  it("the code routes and /mcp", async () => {
    const code = { method: "POST", path: "/agent/code", route: "/agent/code" } as const;
    await checked(
      { ...code, body: { text: "add a /version endpoint", service: "grok-voice" } },
      [200, 202, 422, 503],
    );
    await checked({ ...code, body: {} }, [400]);
    await checked(
      { method: "POST", path: "/agent/code/apply/nosuchconfirm0001", route: "/agent/code/apply/{id}" },
      [409],
    );
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1" } },
    };
    await checked({ method: "POST", path: "/mcp", route: "/mcp", body: init }, [200]);
    await checked({ method: "POST", path: "/mcp", route: "/mcp", body: init, token: null }, [401]);
  }, 60_000);
});
