/** The OpenAPI 3.1 description of the `/agent/*` API, served at /agent/openapi.json. */
import { VOXOPS_VERSION } from "./app.ts";

type Op = {
  summary: string;
  role: string;
  body?: Record<string, unknown>;
  query?: string[];
  path?: string[];
  confirm?: boolean;
};

const str = { type: "string" };
const ops: Record<string, Record<string, Op>> = {
  "/agent/health": { get: { summary: "Controller health and connected sidecars", role: "viewer" } },
  "/agent/vm/status": {
    get: {
      summary: "Fleet status from heartbeats; ?live=1 asks every sidecar for service states",
      role: "viewer",
      query: ["vm", "live"],
    },
  },
  "/agent/vm/reboot": {
    get: {
      summary: "How the last reboot of a VM went: accepted, went down, came back, or did not (and why)",
      role: "viewer",
      query: ["vm", "lang"],
    },
    post: {
      summary: "Reboot a VM (destructive: returns a pending confirmation)",
      role: "admin",
      body: { vm: str, mode: { enum: ["soft", "hard"] } },
      confirm: true,
    },
  },
  "/agent/service/restart": {
    post: {
      summary: "Restart a service and verify it came up",
      role: "operator",
      body: { service: str, vm: str },
    },
  },
  "/agent/logs/{service}": {
    get: {
      summary: "Last lines of a service's journal",
      role: "viewer",
      path: ["service"],
      query: ["vm", "lines"],
    },
  },
  "/agent/errors": {
    get: {
      summary: "Failed units and error lines, grouped and counted",
      role: "viewer",
      query: ["vm", "service"],
    },
  },
  "/agent/metrics": {
    get: { summary: "Memory, swap, disk, CPU load, top processes", role: "viewer", query: ["vm", "metric"] },
  },
  "/agent/code/deploy": {
    post: {
      summary: "Fast-forward, build, restart, health-check; roll back on failure",
      role: "operator",
      body: { service: str, vm: str, ref: str },
      confirm: true,
    },
  },
  "/agent/config": {
    post: {
      summary: "Replace or patch a config file, validated, with rollback",
      role: "operator",
      body: { service: str, vm: str, file: str, content: str, patch: { type: "array" } },
      confirm: true,
    },
  },
  "/agent/backup": {
    post: {
      summary: "Commit and push configured paths to the backup repository",
      role: "operator",
      body: { vm: str, reason: str },
    },
  },
  "/agent/restore": {
    post: {
      summary: "Bring a file back from the backup repository",
      role: "operator",
      body: { vm: str, path: str, ref: str },
      confirm: true,
    },
  },
  "/agent/fix": {
    post: {
      summary: "Diagnose and repair a service with the known fixes",
      role: "operator",
      body: { vm: str, service: str },
      confirm: true,
    },
  },
  "/agent/commands": {
    post: {
      summary: "Run any catalog action: {vm, action, args}",
      role: "by action risk",
      body: { vm: str, action: str, args: { type: "object" } },
    },
  },
  "/agent/commands/{id}": { get: { summary: "A command's state and result", role: "viewer", path: ["id"] } },
  "/agent/ask": {
    post: {
      summary: "A command in words (Russian or English), as in Telegram",
      role: "viewer+",
      body: { text: str, lang: { enum: ["ru", "en"] } },
    },
  },
  "/agent/code": {
    post: {
      summary:
        "Propose a code change to a service (summary, unified diff, confirmation id); nothing is written",
      role: "viewer+",
      body: { text: str, service: str, vm: str, lang: { enum: ["ru", "en"] } },
    },
  },
  "/agent/code/apply/{id}": {
    post: {
      summary:
        "Apply a proposed change or a revert (same token): checks, restart, verify, rollback on failure",
      role: "requester",
      path: ["id"],
    },
  },
  "/agent/confirmations/{id}": {
    post: { summary: "Confirm a pending request (same token, within 60 s)", role: "requester", path: ["id"] },
    delete: { summary: "Cancel a pending request", role: "requester", path: ["id"] },
  },
  "/agent/audit": { get: { summary: "Recent audit records", role: "admin", query: ["limit"] } },
};

/** Builds the document. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [path, methods] of Object.entries(ops)) {
    paths[path] = Object.fromEntries(
      Object.entries(methods).map(([method, op]) => [
        method,
        {
          summary: op.summary,
          description: `Role: ${op.role}.${op.confirm ? " Answers 202 with a pending confirmation unless the token is marked :noconfirm." : ""}`,
          security: [{ bearer: [] }],
          parameters: [
            ...(op.path ?? []).map((name) => ({ name, in: "path", required: true, schema: str })),
            ...(op.query ?? []).map((name) => ({ name, in: "query", required: false, schema: str })),
          ],
          ...(op.body
            ? {
                requestBody: {
                  content: { "application/json": { schema: { type: "object", properties: op.body } } },
                },
              }
            : {}),
          responses: {
            "200": { description: "Done" },
            "202": { description: "Pending confirmation: POST /agent/confirmations/{id}" },
            "401": { description: "No or wrong token" },
            "403": { description: "Role too low, or refused by the policy gate" },
            "422": { description: "Invalid action, arguments or target" },
            "502": { description: "The action ran and failed" },
            "503": { description: "The VM's sidecar is not connected" },
            "504": { description: "No result before the deadline" },
          },
        },
      ]),
    );
  }
  return {
    openapi: "3.1.0",
    info: { title: "voxops agent API", version: VOXOPS_VERSION },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}
