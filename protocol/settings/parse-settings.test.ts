import { describe, expect, it } from "vitest";
import { edgeSettings } from "./edge-settings.ts";
import { knownSettingNames } from "./known-settings.ts";
import { nodeHostSettings } from "./node-host-settings.ts";
import { parseSettings } from "./parse-settings.ts";
import { sidecarSettings } from "./sidecar-settings.ts";

describe("parsing a deployable's settings", () => {
  it("gives typed values and the defaults for what is unset", () => {
    const { values, problems, unknown } = parseSettings(edgeSettings, {
      VOXOPS_CONFIRM_TTL_S: " 120 ",
      LLM_PROVIDER: "Anthropic",
      TELEGRAM_API_ROOT: "http://127.0.0.1:9000/",
      TTS_LANGS: "ru, en",
      FLEET: {},
    });
    expect(problems).toEqual([]);
    expect(unknown).toEqual([]);
    expect(values.VOXOPS_CONFIRM_TTL_S).toBe(120);
    expect(values.LLM_PROVIDER).toBe("anthropic");
    expect(values.LLM_TIMEOUT_MS).toBe(30_000);
    expect(values.TELEGRAM_API_ROOT).toBe("http://127.0.0.1:9000");
    expect(values.TTS_LANGS).toEqual(["ru", "en"]);
    expect(values.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(values.VOXOPS_AUTOFIX_APPROVAL).toBe("auto");
  });

  it("turns each wrong value into a sentence naming the variable, the form and what is off", () => {
    const parsed = parseSettings(edgeSettings, {
      VOXOPS_CONFIRM_TTL_S: "5000",
      LLM_TIMEOUT_MS: "soon",
      STT_PROVIDER: "whisper",
      TELEGRAM_API_ROOT: "ftp://x",
      VOXOPS_LEASE_ROLE: "boss",
    });
    expect(parsed.problems.map((p) => p.sentence)).toEqual([
      'TELEGRAM_API_ROOT must be an http(s) URL (it is "ftp://x"); the Telegram bot is off.',
      'VOXOPS_LEASE_ROLE must be one of primary or secondary (it is "boss"); the fencing lease is off.',
      'VOXOPS_CONFIRM_TTL_S must be a whole number of seconds from 10 to 600 (it is "5000"); confirmations stay valid 60 s.',
      'LLM_TIMEOUT_MS must be a whole number of milliseconds from 1000 to 300000 (it is "soon"); the LLM is off.',
      'STT_PROVIDER must be one of none, workers-ai, groq or openai (it is "whisper"); speech (voice messages and spoken replies) is off.',
    ]);
    expect(parsed.values.VOXOPS_CONFIRM_TTL_S).toBe(60);
    expect(parsed.broken("llm")).toBe(true);
    expect(parsed.broken("telegram")).toBe(true);
    expect(parsed.broken("oracle")).toBe(false);
  });

  it("never shows a secret's value", () => {
    const token = "not-a-token-but-secret-words";
    const parsed = parseSettings(edgeSettings, { TELEGRAM_BOT_TOKEN: token });
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.sentence).toMatch(/^TELEGRAM_BOT_TOKEN must be a bot token as @BotFather/);
    expect(parsed.problems[0]?.sentence).not.toContain(token);
  });

  it("reports a VOXOPS_* name no deployable declares, with the setting it was probably meant to be", () => {
    const parsed = parseSettings(
      sidecarSettings,
      { VOXOPS_AUTOFX: "off", VOXOPS_NONSENSE_THING: "1" },
      knownSettingNames,
    );
    expect(parsed.unknown).toEqual([
      "VOXOPS_AUTOFX is not a voxops setting and is ignored. Did you mean VOXOPS_AUTOFIX?",
      "VOXOPS_NONSENSE_THING is not a voxops setting and is ignored.",
    ]);
    expect(parsed.values.VOXOPS_AUTOFIX).toBeUndefined();
  });

  it("does not call another deployable's setting a typo (the local run hands its sidecar the controller's)", () => {
    const parsed = parseSettings(
      sidecarSettings,
      { VOXOPS_CONFIRM_TTL_S: "60", VOXOPS_LOCAL_VM: "x" },
      knownSettingNames,
    );
    expect(parsed.unknown).toEqual([]);
  });

  it("each deployable declares only what it needs: the sidecar has no bot token, API tokens or LLM key", () => {
    const sidecar = Object.keys(sidecarSettings);
    for (const name of [
      "TELEGRAM_BOT_TOKEN",
      "VOXOPS_API_TOKENS",
      "VOXOPS_SIDECAR_KEYS",
      "LLM_API_KEY",
      "OCI_PRIVATE_KEY",
    ])
      expect(sidecar).not.toContain(name);
    expect(Object.keys(edgeSettings)).not.toContain("VOXOPS_SIDECAR_KEY");
    expect(Object.keys(nodeHostSettings)).toEqual(
      expect.arrayContaining(["PORT", ...Object.keys(edgeSettings)]),
    );
  });

  it("marks every key, token, secret and password as a secret", () => {
    for (const [name, s] of Object.entries({ ...nodeHostSettings, ...sidecarSettings }))
      if (/KEY|TOKEN|SECRET|PASSW/.test(name) && !/KEYS?_FILE/.test(name))
        expect([name, s.secret]).toEqual([name, true]);
  });
});

describe("secrets and the processes voxops starts", () => {
  it("no declared secret reaches a child process, and every other VOXOPS_* setting does", async () => {
    const { passesToChild } = await import("./child-environment.ts");
    const { deployables } = await import("./known-settings.ts");
    for (const d of deployables)
      for (const [name, s] of Object.entries(d.settings))
        if (s.secret) expect([name, passesToChild(name)]).toEqual([name, false]);
        else if (name.startsWith("VOXOPS_")) expect([name, passesToChild(name)]).toEqual([name, true]);
  });
});
