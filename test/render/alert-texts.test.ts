/**
 * Every alert kind in both languages: the sidecar events `eventAlert` words (its cases read from its
 * source, so a new kind is covered or this test fails), every watchdog alert (every exported `*Alert`),
 * and the auto-fix texts for every built-in rule. Each is a non-empty sentence, Russian with no
 * Latin-only sentence outside quoted evidence, English with no Cyrillic.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Alert } from "../../edge/core/desk.ts";
import { eventAlert } from "../../edge/core/event-alerts.ts";
import { failedText, repairedText, reportedText } from "../../edge/core/fix-text.ts";
import * as watchdogAlerts from "../../edge/watchdog/watchdog-alerts.ts";
import { parseFixEventData } from "../../protocol/fix-events.ts";
import { builtInRules } from "../../sidecar/autofix/rules/index.ts";
import { cyrillicLines, latinOnlySentences } from "../support/latin-only-sentences.ts";

const here = import.meta.dirname;
const eventKinds = [
  ...readFileSync(resolve(here, "../../edge/core/event-alerts.ts"), "utf8").matchAll(/case "([a-z.-]+)":/g),
].map((m) => m[1] ?? "");

/** Event data as a sidecar sends it: a finding, a plan with steps, and the figures some kinds carry. */
const data = (rule: string) => ({
  service: "api",
  rule,
  finding: {
    id: `${rule}-1`,
    rule,
    service: "api",
    meaning: "the service failed",
    line: "OSError: [Errno 98] Address already in use",
    errorLines: 3,
  },
  plan: {
    decision: "repair",
    reason: "a stale process holds the port",
    reasonRu: "порт держит зависший процесс",
    steps: [
      { kind: "stop-stale-process", pid: 41, port: 8080 },
      { kind: "restart", unit: "api.service" },
    ],
  },
  steps: [
    { kind: "stop-stale-process", ok: true, pid: 41, port: 8080 },
    { kind: "restart", ok: false, unit: "api.service" },
  ],
  reason: "dry-run",
  failures: 3,
  error: "git push was refused",
  summary: "vm2 did not answer 3 probes",
});

function readsIn(text: string, lang: "ru" | "en"): void {
  expect(text.trim().length).toBeGreaterThan(10);
  expect(text).not.toMatch(/^\s*[[{]/m);
  if (lang === "ru") expect(latinOnlySentences(text)).toEqual([]);
  else expect(cyrillicLines(text)).toEqual([]);
}
const readsInBoth = (a: Alert | undefined) => {
  expect(a).toBeDefined();
  readsIn(a?.text.ru ?? "", "ru");
  readsIn(a?.text.en ?? "", "en");
};

describe("the language check itself", () => {
  it("finds an English sentence in a Russian text and Russian in an English one, quotes aside", () => {
    expect(latinOnlySentences("✅ api работает. The check failed.")).toEqual(["The check failed."]);
    expect(latinOnlySentences("Строка журнала: «KeyError: x».\n  raw log line")).toEqual([]);
    expect(cyrillicLines("api is running. Сервис работает.")).toHaveLength(1);
  });
});

describe("alerts for sidecar events", () => {
  it("reads every kind eventAlert words from its source", () => {
    expect(eventKinds).toEqual(
      expect.arrayContaining(["fix.applied", "fix.failed", "finding", "backup.failed"]),
    );
  });
  it.each(eventKinds)("%s renders a sentence in both languages", (kind) => {
    readsInBoth(
      eventAlert("vm1", { type: "event", id: "e1", kind, at: Date.now(), data: data("port-in-use") }),
    );
  });
});

describe("watchdog alerts", () => {
  const why = { ru: "соседи тоже её не видят", en: "its peers cannot see it either" };
  const calls: Record<string, () => Alert> = {
    suspectAlert: () => watchdogAlerts.suspectAlert("vm2", 45_000, why),
    deadAlert: () => watchdogAlerts.deadAlert("vm2", ["no heartbeat for 120 s", "peers agree"], true),
    deadAlertNoReset: () => watchdogAlerts.deadAlert("vm2", ["no heartbeat"], false, "auto-reset is off"),
    recoveredAlert: () => watchdogAlerts.recoveredAlert("vm2", "a reset", 180_000),
    gaveUpAlert: () => watchdogAlerts.gaveUpAlert("vm2", "the Oracle API refused the reset"),
    partitionAlert: () => watchdogAlerts.partitionAlert("vm2", "vm1"),
  };
  it("covers every exported alert", () => {
    const exported = Object.keys(watchdogAlerts).filter((k) => k.endsWith("Alert"));
    expect(exported.filter((k) => !(k in calls))).toEqual([]);
  });
  it.each(Object.keys(calls))("%s renders a sentence in both languages", (name) => {
    readsInBoth(calls[name]?.());
  });
});

describe("auto-fix texts for every built-in rule", () => {
  it.each(builtInRules.map((r) => r.id))("%s: repaired, failed and reported in both languages", (rule) => {
    const d = parseFixEventData(data(rule));
    for (const lang of ["ru", "en"] as const) {
      const where = lang === "ru" ? "api на vm1" : "api on vm1";
      readsIn(repairedText(where, rule, d.finding, d.steps ?? [], d.plan, lang), lang);
      readsIn(
        failedText(
          where,
          rule,
          d.finding,
          d.steps ?? [],
          d.plan,
          { en: "the restart did not hold", ru: "перезапуск не удержался" },
          undefined,
          lang,
        ),
        lang,
      );
      readsIn(reportedText(where, rule, d.finding, d.plan, lang), lang);
    }
  });
});
