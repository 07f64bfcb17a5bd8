/** What the operator reads about auto-fix: the fix reply, the auto-fix alerts and a failed backup, in both languages. */
import { describe, expect, it } from "vitest";
import type { EventFrame } from "../../protocol/frames.ts";
import { eventAlert } from "./event-alerts.ts";
import { outcomeText } from "./reply-text.ts";

const event = (kind: string, data: Record<string, unknown>): EventFrame => ({
  type: "event",
  id: "e1",
  kind,
  at: 1,
  data,
});

const finding = {
  id: "f1",
  service: "api",
  rule: "port-in-use",
  meaning: "another process already listens on the service's port",
  line: "Error: listen EADDRINUSE: address already in use :::8080",
  groups: [
    { unit: "api.service", sample: "Error: listen EADDRINUSE: address already in use :::8080", count: 3 },
  ],
};

/** No JSON, no stack, no internal rule id in what the operator reads. */
function readsAsSentences(text: string): void {
  expect(text).not.toMatch(/[{}]|"\w+":|\bat \S+ \(|port-in-use|unknown-error|file-not-found/);
  expect(text.length).toBeGreaterThan(40);
}

describe("the fix reply", () => {
  it("a finding that was only reported reads as nothing changed, with the line, its count and the question", () => {
    for (const lang of ["en", "ru"] as const) {
      const text = outcomeText(
        {
          vm: "vm1",
          action: "fix",
          ok: true,
          output: {
            vm: "vm1",
            ok: true,
            results: [
              {
                service: "api",
                outcome: "reported",
                finding,
                plan: {
                  decision: "report",
                  reason: "port 8080 is held by another program; it is not stopped automatically",
                  reasonRu: "порт 8080 занят другой программой; её не останавливаю автоматически",
                  steps: [],
                  ask: "Port 8080 is held by pid 77 (nginx), not by api. What should be done?",
                },
                report: null,
              },
            ],
          },
        } as never,
        lang,
      );
      readsAsSentences(text);
      expect(text).not.toContain("✅");
      expect(text).toContain("EADDRINUSE: address already in use :::8080");
      expect(text).toContain("×3");
      expect(text).toContain("pid 77 (nginx)");
      expect(text).toContain(
        lang === "ru"
          ? "Ничего не менял: порт 8080 занят другой программой; её не останавливаю автоматически."
          : "Nothing was changed: port 8080 is held by another program; it is not stopped automatically.",
      );
    }
  });

  it("a repair reads as what was done and that it held; a failed one as what was tried and why not", () => {
    const repaired = outcomeText(
      {
        vm: "vm1",
        action: "fix",
        ok: true,
        output: {
          results: [
            {
              service: "api",
              outcome: "repaired",
              finding: {
                ...finding,
                rule: "file-not-found",
                line: "FileNotFoundError: [Errno 2] No such file or directory: '/srv/api/c.json'",
              },
              plan: {
                steps: [
                  { kind: "restore-file", path: "/srv/api/c.json" },
                  { kind: "restart", unit: "api.service" },
                ],
              },
              report: {
                steps: [
                  { kind: "restore-file", ok: true, detail: { commit: "0123456789ab" } },
                  { kind: "restart", ok: true },
                ],
              },
            },
          ],
        },
      } as never,
      "en",
    );
    readsAsSentences(repaired);
    expect(repaired).toContain("restored /srv/api/c.json from the backup (01234567)");
    expect(repaired).toContain("did not come back");

    const failed = outcomeText(
      {
        vm: "vm1",
        action: "fix",
        ok: false,
        error: {
          code: "fix-failed",
          message: "api: the repair did not hold",
          details: {
            service: "api",
            outcome: "failed",
            finding: {
              ...finding,
              rule: "import-error",
              line: "ModuleNotFoundError: No module named 'yaml'",
            },
            plan: { steps: [{ kind: "install-deps" }, { kind: "restart" }] },
            report: {
              steps: [{ kind: "install-deps", ok: false }],
              reason: "installing the dependencies failed: exit 1",
              reasonRu: "установка зависимостей: не удалось, код выхода 1",
              recurred: null,
            },
          },
        },
      } as never,
      "ru",
    );
    readsAsSentences(failed);
    expect(failed).toContain("исправление не помогло");
    expect(failed).toContain("переустановил зависимости — не удалось");
    expect(failed).toContain("Причина: установка зависимостей: не удалось, код выхода 1.");
    expect(failed).not.toContain("installing the dependencies failed");
  });

  it("a service with nothing to fix says so, without a tick", () => {
    const text = outcomeText(
      {
        vm: "vm1",
        action: "fix",
        ok: true,
        output: { results: [{ service: "api", outcome: "nothing-to-fix" }] },
      } as never,
      "en",
    );
    expect(text).toBe("api on vm1: no errors in its journal since it last started; nothing to fix.");
  });
});

describe("auto-fix alerts", () => {
  it("an unknown error names the line; a failed unit without lines says so", () => {
    const a = eventAlert(
      "vm1",
      event("finding", {
        service: "api",
        rule: "unknown-error",
        finding: { ...finding, rule: "unknown-error", line: "TypeError: x is not a function" },
        plan: { decision: "report", reason: "no known repair applies to this error" },
      }),
    );
    expect(a?.text.en).toContain("api on vm1 logged an error no auto-fix rule knows");
    expect(a?.text.en).toContain("“TypeError: x is not a function”");
    expect(a?.text.ru).toContain("«TypeError: x is not a function»");
    readsAsSentences(a?.text.en ?? "");
    readsAsSentences(a?.text.ru ?? "");
    const empty = eventAlert(
      "vm1",
      event("finding", { service: "api", rule: "unknown-error", finding: { line: "" } }),
    );
    expect(empty?.text.en).toContain("the unit is in the failed state");
    expect(empty?.text.en).not.toMatch(/: $/);
  });

  it("cleans and clips what a sidecar sends, and a null step does not throw", () => {
    const a = eventAlert(
      "vm1",
      event("fix.failed", {
        service: "api",
        rule: "port-in-use",
        finding: { ...finding, line: `\u001b[31mError\u001b[39m: boom\nsecond line ${"x".repeat(2000)}` },
        steps: [null, { kind: "restart", ok: false }, 7],
        reason: "the unit is failed/failed after the quiet window",
      }),
    );
    expect(a?.text.en).toContain("Error: boom second line");
    expect(a?.text.en).not.toContain("\u001b");
    expect(a?.text.en.length).toBeLessThan(900);
    expect(a?.text.en).toContain("Tried: restarted it and checked it runs — failed");
  });

  it("a failed scheduled backup is alerted with the error and the next step", () => {
    const a = eventAlert(
      "vm1",
      event("backup.failed", { reason: "scheduled backup", error: "git push: permission denied" }),
    );
    expect(a?.severity).toBe("critical");
    expect(a?.text.en).toContain("the scheduled backup failed: git push: permission denied");
    expect(a?.text.ru).toContain("плановый бэкап не удался");
  });

  it("a skipped repair says nothing was changed and why", () => {
    const a = eventAlert(
      "vm1",
      event("fix.skipped", {
        service: "api",
        rule: "port-in-use",
        reason: "dry-run",
        finding,
        plan: { steps: [{ kind: "restart" }] },
      }),
    );
    expect(a?.text.en).toContain("Nothing was changed: auto-fix is in dry-run mode");
  });
});
