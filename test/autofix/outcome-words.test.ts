/**
 * Russian everywhere: every sentence auto-fix can send towards the operator — each rule planner's
 * reasons, questions and proposals (its word book), the engine's and the repair run's failure reasons,
 * each skip reason, each pause, each rule's meaning — is enumerated (not hand-picked), filled with
 * sample facts, carried through the protocol's event schema and rendered by the edge in both languages;
 * the Russian text must have no English-only sentence and the English text no Russian.
 */
import { describe, expect, it } from "vitest";
import { eventAlert } from "../../edge/core/event-alerts.ts";
import { meaningOf } from "../../edge/core/fix-text.ts";
import { outcomeText } from "../../edge/core/reply-text.ts";
import type { EventFrame } from "../../protocol/frames.ts";
import { NOT_APPROVED } from "../../sidecar/autofix/findings-log.ts";
import {
  commonWords,
  stepWords,
  verifyWords,
  type WordBook,
  type Words,
} from "../../sidecar/autofix/rule-kit/words.ts";
import { builtInRules } from "../../sidecar/autofix/rules.ts";
import { latinOnlySentences } from "../support/latin-only-sentences.ts";

/** Every fact a phrase may name, with a sample value. */
const SAMPLE = {
  port: 8080,
  name: "api",
  service: "api",
  path: "/srv/api/config.json",
  vm: "vm1",
  module: "yaml",
  pkg: "PyYAML",
  manifest: "/srv/api/requirements.txt",
  state: "failed/failed",
  unit: "api.service",
  limit: "8192",
  holders: "pid 4242 (python3)",
  workdir: "/srv/api",
  why: {
    en: "yaml is declared in /srv/api/requirements.txt",
    ru: "yaml объявлен в /srv/api/requirements.txt",
  },
  error: "EACCES: permission denied, open '/srv/api/config.json'",
  seconds: 5,
  failures: 3,
  repairs: 3,
  until: "2026-11-30T20:00:00.000Z",
  step: { en: "the restart", ru: "перезапуск" },
  exit: "1",
  health: "500",
  rotated: 2,
};
/** Facts whose value changes the sentence's shape: each phrase is also said with these. */
const VARIANTS: Partial<typeof SAMPLE>[] = [{}, { health: "" }, { health: "silent" }, { limit: "" }];

const fill = (phrase: WordBook[string]): Words[] =>
  VARIANTS.map((v) => (phrase as (p: typeof SAMPLE) => Words)({ ...SAMPLE, ...v }));

/** Each word book by name: the rules' planners and the shared ones. */
async function books(): Promise<[string, WordBook][]> {
  const out: [string, WordBook][] = [
    ["common", commonWords],
    ["steps", stepWords],
    ["verify", verifyWords],
  ];
  for (const rule of builtInRules) if (rule.words) out.push([rule.id, await rule.words()]);
  return out;
}

function expectRussian(text: string, what: string): void {
  expect(latinOnlySentences(text), `${what}: ${text}`).toEqual([]);
  expect(text, what).toMatch(/[А-Яа-яЁё]/);
}
function expectEnglish(text: string, what: string): void {
  expect(text, what).not.toMatch(/[А-Яа-яЁё]/);
  expect(text, what).toMatch(/[A-Za-z]{4,}/);
}

const frame = (kind: string, data: Record<string, unknown>): EventFrame =>
  ({ type: "event", kind, data }) as unknown as EventFrame;
const finding = (rule: string) => ({
  id: "f1",
  rule,
  service: "api",
  line: "Error: something failed in the service",
  groups: [{ unit: "api.service", sample: "Error: something failed in the service", count: 2 }],
  errorLines: 2,
});

describe("every auto-fix outcome in both languages", () => {
  it("every rule that plans has a word book, and every phrase in every book has both languages", async () => {
    for (const rule of builtInRules)
      expect(rule.planner === undefined || rule.words !== undefined, rule.id).toBe(true);
    const all = await books();
    expect(all.map(([n]) => n)).toEqual(
      expect.arrayContaining(builtInRules.filter((r) => r.planner).map((r) => r.id)),
    );
    let phrases = 0;
    for (const [book, words] of all)
      for (const [key, phrase] of Object.entries(words))
        for (const w of fill(phrase)) {
          phrases++;
          expectRussian(w.ru, `${book}.${key} (ru)`);
          expectEnglish(w.en, `${book}.${key} (en)`);
        }
    expect(phrases).toBeGreaterThan(30);
  });

  it("each planner phrase as a report's reason, question and proposal reads in the operator's language on the edge", async () => {
    for (const [book, words] of await books())
      for (const [key, phrase] of Object.entries(words))
        for (const w of fill(phrase)) {
          const rule = builtInRules.some((r) => r.id === book) ? book : "unknown-error";
          for (const plan of [
            { decision: "report", reason: w.en, reasonRu: w.ru },
            { decision: "report", reason: "x", reasonRu: "х", ask: w.en, askRu: w.ru },
            { decision: "report", reason: "x", reasonRu: "х", proposal: { what: w.en, whatRu: w.ru } },
          ]) {
            const alert = eventAlert(
              "vm1",
              frame("finding", { service: "api", rule, finding: finding(rule), plan }),
            );
            expect(alert, `${book}.${key}`).toBeDefined();
            expectRussian(alert?.text.ru ?? "", `${book}.${key} as a finding (ru)`);
            expectEnglish(alert?.text.en ?? "", `${book}.${key} as a finding (en)`);
            const reply = (lang: "ru" | "en") =>
              outcomeText(
                {
                  vm: "vm1",
                  action: "fix",
                  ok: true,
                  output: {
                    results: [{ service: "api", outcome: "reported", finding: finding(rule), plan }],
                  },
                } as never,
                lang,
              );
            expectRussian(reply("ru"), `${book}.${key} as the fix reply (ru)`);
            expectEnglish(reply("en"), `${book}.${key} as the fix reply (en)`);
          }
        }
  });

  it("each failure reason, as the fix.failed alert and the failed fix reply, reads in the operator's language", async () => {
    for (const [book, words] of await books())
      for (const [key, phrase] of Object.entries(words))
        for (const w of fill(phrase)) {
          const steps = [
            { kind: "install-deps", ok: true },
            { kind: "restart", ok: false },
          ];
          const alert = eventAlert(
            "vm1",
            frame("fix.failed", {
              service: "api",
              rule: "import-error",
              finding: finding("import-error"),
              steps,
              reason: w.en,
              reasonRu: w.ru,
              recurred: "ModuleNotFoundError: No module named 'yaml'",
            }),
          );
          expectRussian(alert?.text.ru ?? "", `${book}.${key} as a failure (ru)`);
          expectEnglish(alert?.text.en ?? "", `${book}.${key} as a failure (en)`);
          const reply = (lang: "ru" | "en") =>
            outcomeText(
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
                    finding: finding("import-error"),
                    plan: { steps },
                    report: { steps, reason: w.en, reasonRu: w.ru, recurred: null },
                  },
                },
              } as never,
              lang,
            );
          expectRussian(reply("ru"), `${book}.${key} as a failed fix (ru)`);
          expectEnglish(reply("en"), `${book}.${key} as a failed fix (en)`);
        }
  });

  it("every rule's meaning, every skip reason and both pauses read in the operator's language", () => {
    for (const rule of builtInRules) {
      expectRussian(`${meaningOf(rule.id, undefined, "ru")}.`, `${rule.id} meaning (ru)`);
      expectEnglish(meaningOf(rule.id, undefined, "en"), `${rule.id} meaning (en)`);
    }
    for (const reason of ["dry-run", "autofix-off", "rule-off", NOT_APPROVED]) {
      const alert = eventAlert(
        "vm1",
        frame("fix.skipped", {
          service: "api",
          rule: "port-in-use",
          finding: finding("port-in-use"),
          reason,
          plan: {
            decision: "repair",
            reason: "x",
            reasonRu: "х",
            steps: [{ kind: "stop-stale-process", pid: 7, port: 8080 }, { kind: "restart" }],
          },
        }),
      );
      expectRussian(alert?.text.ru ?? "", `skipped ${reason} (ru)`);
      expectEnglish(alert?.text.en ?? "", `skipped ${reason} (en)`);
    }
    const paused = [
      commonWords.breakerStopped({ service: "api", failures: 3 }),
      commonWords.hourLimit({ service: "api", repairs: 3, until: SAMPLE.until }),
    ];
    for (const [i, m] of paused.entries()) {
      const alert = eventAlert(
        "vm1",
        frame("autofix.paused", {
          service: "api",
          rule: "port-in-use",
          ...(i === 0 ? { failures: 3 } : { repairs: 3 }),
          message: m.en,
          messageRu: m.ru,
        }),
      );
      expectRussian(alert?.text.ru ?? "", "paused (ru)");
      expectEnglish(alert?.text.en ?? "", "paused (en)");
    }
  });

  it("a sidecar that sends English only is quoted as its words in a Russian reply, never shown as a Russian sentence", () => {
    const alert = eventAlert(
      "vm1",
      frame("finding", {
        service: "api",
        rule: "port-in-use",
        finding: finding("port-in-use"),
        plan: {
          decision: "report",
          reason: "port 8080 is held by another program",
          ask: "What should be done?",
        },
      }),
    );
    expectRussian(alert?.text.ru ?? "", "an old sidecar's plan (ru)");
    expect(alert?.text.ru).toContain("«port 8080 is held by another program»");
  });
});
