import { describe, expect, it } from "vitest";
import { createJsonLog, MAX_LINE_CHARS } from "../../protocol/json-log.ts";
import { createApp } from "../app.ts";
import type { Audit, AuditEntry } from "./audit.ts";
import type { Controller } from "./controller.ts";
import { loggedNotifier, opsKind, withOpsLog } from "./ops-log.ts";

const SECRET = "s3cret-value-of-the-bot-token";

function capture() {
  const lines: { level: string; line: Record<string, unknown>; text: string }[] = [];
  const log = createJsonLog({
    from: "test",
    secrets: () => [SECRET],
    write: (level, text) => lines.push({ level, text, line: JSON.parse(text) }),
  });
  return { lines, log };
}

const memoryAudit = (): Audit & { entries: AuditEntry[] } => {
  const entries: AuditEntry[] = [];
  return { entries, append: (e) => entries.push(e), refusal: (e) => entries.push(e), recent: () => [] };
};

describe("the operations log", () => {
  it("classifies audit records as actions, verdicts, fences and refusals", () => {
    expect(opsKind({ action: "restart", outcome: "ok" })).toBe("action");
    expect(opsKind({ action: "restart", outcome: "refused: invalid" })).toBe("refusal");
    expect(opsKind({ action: "reboot", outcome: "denied" })).toBe("refusal");
    expect(opsKind({ action: "telegram", outcome: "stranger refused" })).toBe("refusal");
    expect(opsKind({ action: "watchdog.verdict", outcome: "dead" })).toBe("verdict");
    expect(opsKind({ action: "watchdog.fence", outcome: "SOFTRESET requested" })).toBe("fence");
    expect(opsKind({ action: "watchdog.lease", outcome: "held" })).toBe("fence");
  });

  it("writes each audit record as one line with its ids, actor, target, outcome and duration", () => {
    const { lines, log } = capture();
    const inner = memoryAudit();
    const audit = withOpsLog(inner, log);
    audit.append({
      actor: { kind: "api", id: "token:ab12" },
      action: "restart",
      target: "vm1",
      args: { service: "nginx" },
      outcome: "ok",
      ref: "cmd-1",
      durationMs: 42,
    });
    audit.append({
      actor: { kind: "telegram", id: "7" },
      action: "reboot",
      target: "vm2",
      outcome: "confirmation-requested",
      ref: "conf-1",
    });
    audit.append({
      actor: { kind: "api", id: "x" },
      action: "confirm",
      target: "-",
      outcome: "refused: expired",
      ref: "conf-2",
    });
    audit.append({
      actor: { kind: "watchdog", id: "sidecar:vm1" },
      action: "sidecar-connect",
      target: "vm1",
      outcome: "connected",
      ref: "conn-1",
    });
    expect(inner.entries).toHaveLength(4);
    expect(lines.map((l) => l.line)).toMatchObject([
      {
        level: "info",
        msg: "action",
        kind: "action",
        commandId: "cmd-1",
        actor: "api:token:ab12",
        target: "vm1",
        outcome: "ok",
        durationMs: 42,
        args: { service: "nginx" },
      },
      { kind: "action", confirmationId: "conf-1", outcome: "confirmation-requested" },
      { level: "warn", kind: "refusal", confirmationId: "conf-2", outcome: "refused: expired" },
      { kind: "action", action: "sidecar-connect", ref: "conn-1" },
    ]);
    expect(lines[3]?.line).not.toHaveProperty("commandId");
  });

  it("scrubs secrets, secret-named fields and clips long lines", () => {
    const { lines, log } = capture();
    log("warn", `failed with ${SECRET}`, {
      token: "abc",
      output: "x".repeat(20_000),
      detail: `key ${SECRET}`,
    });
    const [only] = lines;
    expect(only?.text).not.toContain(SECRET);
    expect(only?.text.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    expect(only?.line).toMatchObject({ msg: "failed with [redacted]", detail: "key [redacted]" });
    expect(only?.line.token).toMatch(/^\[redacted/);
  });

  it("logs an alert as sent or as not delivered", async () => {
    const { lines, log } = capture();
    const alert = {
      key: "vm-dead:vm1",
      severity: "critical" as const,
      text: { ru: "vm1 не отвечает", en: "vm1 is down" },
    };
    await loggedNotifier(() => ({ notify: async () => {} }), log).notify(alert);
    const failing = loggedNotifier(
      () => ({ notify: async () => Promise.reject(new Error("bot api down")) }),
      log,
    );
    await expect(failing.notify(alert)).rejects.toThrow("bot api down");
    expect(lines.map((l) => l.line)).toMatchObject([
      { level: "warn", kind: "alert", alert: "vm-dead:vm1", outcome: "sent" },
      { kind: "alert", outcome: "not delivered", error: "Error: bot api down" },
    ]);
  });

  it("the error handler logs what it hides from the caller, under the request id it answers", async () => {
    const { lines, log } = capture();
    const app = createApp({
      controller: {} as Controller,
      apiTokens: new Map(),
      log,
      extend: (a) => a.get("/boom", () => Promise.reject(new Error(`db locked near ${SECRET}`))),
    });
    const res = await app.request("/boom");
    expect(res.status).toBe(500);
    const body = (await res.json()) as { message: string; requestId: string };
    const text = JSON.stringify(body);
    expect(text).not.toContain("db locked");
    expect(body.message).toContain(body.requestId);
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.line).toMatchObject({
      level: "error",
      kind: "error",
      requestId: body.requestId,
      path: "/boom",
    });
    expect(lines[0]?.line.error).toBe("Error: db locked near [redacted]");
  });
});
