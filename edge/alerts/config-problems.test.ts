import { describe, expect, it } from "vitest";
import { cliClientSettings } from "../../protocol/settings/cli-settings.ts";
import { edgeSettings } from "../../protocol/settings/edge-settings.ts";
import { knownSettingNames } from "../../protocol/settings/known-settings.ts";
import { nodeHostSettings } from "../../protocol/settings/node-host-settings.ts";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import type { Declarations } from "../../protocol/settings/setting.ts";
import { consequenceRu, formRu } from "../../protocol/settings/setting-words-ru.ts";
import { sidecarSettings } from "../../protocol/settings/sidecar-settings.ts";
import { latinOnlySentences } from "../../test/support/latin-only-sentences.ts";
import { ConfigError, readConfig } from "../core/config.ts";
import { configFailureAnswer, configFailureOf } from "./config-failure.ts";
import { configProblemsAlert } from "./config-problems-alert.ts";

const deployables: Readonly<Record<string, Declarations>> = {
  edge: edgeSettings,
  sidecar: sidecarSettings,
  "node host": nodeHostSettings,
  cli: cliClientSettings,
};

/** Values that fail most forms: a word where a number, URL, list or pattern is expected. */
const wrongValues = ["not-a-valid-value!", "-5", "99999999", "yes please"];

describe("configuration problems in Russian (no English sentence in the Russian text)", () => {
  it("every declared form and consequence has its Russian", () => {
    for (const [where, declarations] of Object.entries(deployables))
      for (const [name, setting] of Object.entries(declarations)) {
        expect(formRu(setting.expected), `${where} ${name}: ${setting.expected}`).toBeDefined();
        if (setting.ifWrong)
          expect(consequenceRu(setting.ifWrong), `${where} ${name}: ${setting.ifWrong}`).toBeDefined();
      }
  });

  it("every wrong value of every setting is a Russian sentence, and the English one stays as it was", () => {
    let seen = 0;
    for (const declarations of Object.values(deployables))
      for (const value of wrongValues) {
        const env = Object.fromEntries(Object.keys(declarations).map((n) => [n, value]));
        const parsed = parseSettings(declarations, env, knownSettingNames);
        for (const p of parsed.problems) {
          seen++;
          expect(latinOnlySentences(p.sentenceRu), p.sentenceRu).toEqual([]);
          expect(p.sentenceRu).toMatch(/^Значение [A-Z_0-9]+ должно быть таким: .+; .+\.$/);
          expect(p.sentence).toMatch(new RegExp(`^${p.setting} must be `));
        }
      }
    expect(seen).toBeGreaterThan(40);
  });

  it("a misspelt setting is named in Russian with the likely name", () => {
    const parsed = parseSettings(edgeSettings, { VOXOPS_CONFIRM_TTL: "60" }, knownSettingNames);
    expect(parsed.unknownRu).toEqual([
      "VOXOPS_CONFIRM_TTL — не настройка voxops, она не учитывается. Возможно, имелась в виду VOXOPS_CONFIRM_TTL_S?",
    ]);
    expect(parsed.unknown[0]).toContain("Did you mean VOXOPS_CONFIRM_TTL_S?");
  });

  it("the admins' alert in Russian has no English sentence of ours", () => {
    const parsed = parseSettings(
      edgeSettings,
      { TELEGRAM_ADMINS: "alice", VOXOPS_CONFIRM_TTL_S: "soon", VOXOPS_WATCHDOG: "maybe", VOXOPS_TYPO: "1" },
      knownSettingNames,
    );
    const lists = {
      en: [...parsed.problems.map((p) => p.sentence), ...parsed.unknown],
      ru: [...parsed.problems.map((p) => p.sentenceRu), ...parsed.unknownRu],
    };
    expect(lists.ru.length).toBeGreaterThanOrEqual(3);
    const alert = configProblemsAlert(lists);
    expect(latinOnlySentences(alert.ru)).toEqual([]);
    expect(alert.ru).toContain("подтверждения действуют 60 с");
    expect(alert.en).toContain("confirmations stay valid 60 s");
  });

  it("the Worker's 503 for a wrong core setting answers in the caller's language", () => {
    const failures = [
      () => readConfig({ VOXOPS_API_TOKENS: "short:admin" }),
      () => readConfig({ VOXOPS_SIDECAR_KEYS: "vm1" }),
      () => readConfig({}, "{not json"),
      () => readConfig({}, JSON.stringify({ vms: { VM1: { services: 3 } } })),
    ];
    for (const fail of failures) {
      let error: unknown;
      try {
        fail();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const failure = configFailureOf(error);
      const ru = configFailureAnswer(failure, "ru");
      const en = configFailureAnswer(failure, "en");
      expect(ru.error).toBe("configuration");
      expect(latinOnlySentences(ru.message), ru.message).toEqual([]);
      expect(ru.message).toMatch(
        /^voxops не может работать, потому что неверна настройка\. .*разверните снова/s,
      );
      expect(en.message).toMatch(/^voxops cannot serve because a setting is wrong: .*deploy again/s);
      expect(en.message).not.toMatch(/[А-Яа-яЁё]/);
    }
  });
});
