/**
 * The route table of the HTTPS app: every route's method, path, role, summary, parameters, body and
 * the answer for each status, as zod schemas. The OpenAPI document is generated from it
 * (`openapi-document.ts`), and every request is parsed by the same schemas before its handler
 * runs (`core/api-input.ts`), so the document and the routes cannot disagree.
 */
import * as z from "zod";
import { codeAnswerSchema, codeAppliedSchema, codeProposalSchema } from "./code/code-api-schemas.ts";
import type { Role } from "./core/actors.ts";
import {
  actionBodies,
  askBody,
  errorsQuery,
  langBody,
  logsParams,
  logsQuery,
  metricsQuery,
  rebootBody,
  rebootQuery,
  restartBody,
  statusQuery,
} from "./core/api-request-schemas.ts";
import {
  askReplySchema,
  codeBody,
  commandBody,
  commandResponses,
  confirmRefusedSchema,
  doneSchema,
  refusalSchema,
} from "./core/api-schemas.ts";

/** One answer of a route: what it means, the body's schema, and its media types when not JSON. */
export type Answer = readonly [description: string, schema: z.ZodType, media?: readonly string[]];

/** One route: what it takes and what it answers with each status. */
export interface RouteSpec {
  readonly method: "get" | "post" | "delete";
  /** The path as Hono writes it (`:id` for a parameter). */
  readonly path: string;
  /** The least role that may call it; "none" for routes without an API token. */
  readonly role: Role | "none";
  readonly summary: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodObject;
  /** Status → description, the body's schema and its media types (JSON when not given). */
  readonly responses: Readonly<Record<number, Answer>>;
  /** Routes a host mounts only when it is configured for them (e.g. Telegram). */
  readonly when?: string;
  /** The action the route runs, named in the audit record when its input is refused. */
  readonly action?: string;
}

/** What every route that takes input answers when a field does not fit its schema. */
const badInput: Answer = [
  "a field is missing or not what this document says (the message names it, in the caller's language), or the body is not JSON",
  refusalSchema.extend({
    status: z.literal("invalid").optional(),
    fields: z.array(z.string()).optional().describe("the fields refused"),
  }),
];
const notFound = ["nothing with that id", refusalSchema] as const;
const forbidden = ["the token's role is too low", refusalSchema] as const;
const idParam = z.object({ id: z.string().min(1).max(128) });
const fleetVmSchema = z.object({ vm: z.string(), connected: z.boolean() }).loose();

/** Every route of the app as written, before the input refusal is added to those that take input. */
const routeTable: readonly RouteSpec[] = [
  {
    method: "get",
    path: "/healthz",
    role: "none",
    summary: "Liveness: ok while the controller answers (no token, nothing about the fleet)",
    responses: {
      200: ["alive", z.literal("ok\n"), ["text/plain"]],
      503: ["not answering", z.literal("unavailable\n"), ["text/plain"]],
    },
  },
  {
    method: "get",
    path: "/agent/health",
    role: "viewer",
    summary: "Controller health and connected sidecars",
    responses: {
      200: [
        "the controller's health",
        z.object({
          ok: z.boolean(),
          version: z.string(),
          problems: z.array(z.string()).optional(),
          sidecars: z.array(z.object({ vm: z.string() }).loose()),
          vms: z.array(fleetVmSchema),
        }),
      ],
    },
  },
  {
    method: "get",
    path: "/agent/commands/:id",
    role: "operator",
    summary: "A command's state and result",
    params: idParam,
    responses: {
      200: [
        "the command",
        z.object({ id: z.string(), vm: z.string(), action: z.string(), state: z.string() }).loose(),
      ],
      403: forbidden,
      404: notFound,
    },
  },
  {
    method: "get",
    path: "/agent/audit",
    role: "admin",
    summary: "The latest audit records",
    query: z.object({ limit: z.number().int().min(1).max(1000).optional() }),
    responses: {
      200: ["the records, newest last", z.object({ records: z.array(z.unknown()) })],
      403: forbidden,
    },
  },
  {
    method: "get",
    path: "/agent/openapi.json",
    role: "viewer",
    summary: "This document",
    responses: { 200: ["the OpenAPI 3.1 document", z.object({ openapi: z.string() }).loose()] },
  },
  {
    method: "get",
    path: "/agent/vm/status",
    role: "viewer",
    summary: "Fleet status from heartbeats; ?live=1 asks every sidecar for service states",
    query: statusQuery,
    responses: {
      200: ["the fleet", z.object({ vms: z.array(fleetVmSchema), live: z.unknown().optional() })],
      404: ["no such VM", refusalSchema],
      422: ["?vm= given empty", refusalSchema],
    },
  },
  {
    method: "post",
    path: "/agent/commands",
    role: "viewer",
    summary: "Run any typed action; the action's own role and confirmation apply",
    body: commandBody,
    responses: commandResponses,
  },
  {
    method: "post",
    path: "/agent/ask",
    role: "viewer",
    summary: "A command in plain Russian or English text, as in Telegram",
    body: askBody,
    responses: {
      200: ["the reply", askReplySchema],
      202: ["the reply; the request waits for a confirmation", askReplySchema],
      403: ["denied", askReplySchema],
      422: ["invalid or not understood", askReplySchema],
      502: ["failed, or the LLM failed", askReplySchema],
      503: ["the LLM it needs is not configured", askReplySchema],
    },
  },
  ...(["post", "delete"] as const).map(
    (method): RouteSpec => ({
      method,
      path: "/agent/confirmations/:id",
      role: "viewer",
      summary: method === "post" ? "Confirm a pending request (same token only)" : "Cancel a pending request",
      params: idParam,
      body: langBody,
      responses: {
        ...commandResponses,
        404: ["no such confirmation", confirmRefusedSchema],
        409: ["used, expired or not this token's", z.union([confirmRefusedSchema, doneSchema])],
      },
    }),
  ),
  {
    method: "post",
    action: "reboot",
    path: "/agent/vm/reboot",
    role: "admin",
    summary: "Reboot a VM (destructive: returns a pending confirmation)",
    body: rebootBody,
    responses: commandResponses,
  },
  {
    method: "get",
    path: "/agent/vm/reboot",
    role: "viewer",
    summary: "How the last reboot asked of a VM went: accepted, went down, came back, or did not (and why)",
    query: rebootQuery,
    responses: {
      200: [
        "the reboot's stage now, with the sentence the operator reads",
        z.object({
          vm: z.string(),
          ref: z.string(),
          stage: z.enum(["requested", "accepted", "down", "back", "not-started", "not-down", "not-back"]),
          final: z.boolean(),
          failed: z.boolean(),
          requestedAt: z.string(),
          at: z.string(),
          text: z.string(),
        }),
      ],
      404: ["no such VM, or no reboot of it was asked", refusalSchema],
      422: ["the vm parameter is missing", refusalSchema],
    },
  },
  {
    method: "post",
    action: "restart",
    path: "/agent/service/restart",
    role: "operator",
    summary: "Restart a service and verify it came up",
    body: restartBody,
    responses: commandResponses,
  },
  {
    method: "get",
    action: "logs",
    path: "/agent/logs/:service",
    role: "viewer",
    summary: "The last lines of a service's journal",
    params: logsParams,
    query: logsQuery,
    responses: commandResponses,
  },
  {
    method: "get",
    action: "errors",
    path: "/agent/errors",
    role: "viewer",
    summary: "Failed units and error lines, grouped and counted",
    query: errorsQuery,
    responses: commandResponses,
  },
  {
    method: "get",
    action: "metrics",
    path: "/agent/metrics",
    role: "viewer",
    summary: "Memory, swap, disk, CPU load and top processes",
    query: metricsQuery,
    responses: commandResponses,
  },
  ...(
    [
      ["/agent/code/deploy", "deploy", "Fast-forward, build and restart a service (confirmation)"],
      ["/agent/config", "config", "Change a config file, validated, with rollback (confirmation)"],
      ["/agent/backup", "backup", "Push the configured paths to the backup repository"],
      ["/agent/restore", "restore", "Bring a file back from the backup repository (confirmation)"],
      ["/agent/fix", "fix", "Diagnose and repair a service with the known fixes (confirmation)"],
    ] as const
  ).map(
    ([path, action, summary]): RouteSpec => ({
      method: "post",
      path,
      role: "operator",
      summary,
      action,
      body: actionBodies[action],
      responses: commandResponses,
    }),
  ),
  {
    method: "post",
    path: "/agent/code",
    role: "operator",
    summary: "Propose a code change: the diff and a confirmation id",
    body: codeBody,
    responses: {
      200: ["answered without a proposal", codeAnswerSchema],
      202: ["the proposal waits for a confirmation", codeProposalSchema],
      422: ["refused", codeAnswerSchema],
      503: ["programming is not configured", codeAnswerSchema],
    },
  },
  {
    method: "post",
    path: "/agent/code/apply/:id",
    role: "operator",
    summary: "Apply a confirmed code change (offers a revert)",
    params: idParam,
    body: langBody,
    responses: { 200: ["applied", codeAppliedSchema], 409: ["not applied", codeAppliedSchema] },
  },
  ...(["get", "post", "delete"] as const).map(
    (method): RouteSpec => ({
      method,
      path: "/mcp",
      role: "viewer",
      summary: "The MCP Streamable HTTP transport (JSON-RPC), with the API's tokens and roles",
      responses: {
        200: ["a JSON-RPC answer or an event stream", z.unknown(), ["application/json", "text/event-stream"]],
        401: [
          "no valid token",
          z.object({ jsonrpc: z.literal("2.0"), error: z.object({ message: z.string() }).loose() }).loose(),
        ],
      },
    }),
  ),
  {
    method: "post",
    path: "/telegram",
    role: "none",
    summary: "Telegram's webhook (checks X-Telegram-Bot-Api-Secret-Token)",
    when: "Telegram is configured",
    body: z.object({ update_id: z.number() }).loose(),
    responses: { 200: ["taken", z.unknown()], 401: ["wrong secret", z.unknown()] },
  },
];

/**
 * Every route of the app, in the order the document lists them; an `/agent/*` route that takes a
 * body, query or path parameter also answers 400 for a field that does not fit.
 */
export const apiRoutes: readonly RouteSpec[] = routeTable.map((route) =>
  route.path.startsWith("/agent/") && (route.params || route.query || route.body)
    ? { ...route, responses: { ...route.responses, 400: badInput } }
    : route,
);
