import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../../protocol/settings/parse-settings.ts";
import { sidecarSettings } from "../../protocol/settings/sidecar-settings.ts";
import { defaultSettings, loadSettings, parseRuleSwitches, ruleEnabled } from "./settings.ts";

describe("settings", () => {
  it("defaults to on, every rule on, 3 repairs an hour", () => {
    const { settings, problems } = loadSettings({});
    expect(settings).toEqual(defaultSettings);
    expect(problems).toEqual([]);
    expect(ruleEnabled(settings, "port-in-use")).toBe(true);
  });

  it("reads the mode and rule switches from the environment over the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "voxops-autofix-"));
    try {
      const file = join(dir, "autofix.json");
      writeFileSync(
        file,
        JSON.stringify({ autofix: { mode: "off", rules: { "import-error": false }, perHour: 2 } }),
      );
      const { settings, problems } = loadSettings({
        VOXOPS_AUTOFIX_FILE: file,
        VOXOPS_AUTOFIX: "dry-run",
        VOXOPS_AUTOFIX_RULES: "port-in-use:off, file-not-found:on",
      });
      expect(problems).toEqual([]);
      expect(settings).toMatchObject({ mode: "dry-run", perHour: 2 });
      expect(settings.rules).toEqual({ "import-error": false, "port-in-use": false, "file-not-found": true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names what it cannot use and keeps the default", () => {
    const { settings, problems } = loadSettings({
      VOXOPS_AUTOFIX: "yes please",
      VOXOPS_AUTOFIX_FILE: "/nonexistent.json",
    });
    expect(settings.mode).toBe("on");
    expect(problems).toHaveLength(2);
    expect(parseRuleSwitches("a:on,;rm -rf:off").problems).toHaveLength(2);
    expect(parseRuleSwitches("a:on").problems[0]).toContain('there is no rule "a"');
    expect(parseRuleSwitches("watch-limit:off,out-of-memory:on")).toEqual({
      rules: { "watch-limit": false, "out-of-memory": true },
      problems: [],
    });
  });
});

describe("settings from the sidecar's one parse", () => {
  it("leave the mode to the file when VOXOPS_AUTOFIX is unset, and let the environment win when it is set", () => {
    const dir = mkdtempSync(join(tmpdir(), "voxops-autofix-parse-"));
    try {
      const file = join(dir, "autofix.json");
      writeFileSync(file, JSON.stringify({ autofix: { mode: "dry-run" } }));
      const unset = parseSettings(sidecarSettings, { VOXOPS_AUTOFIX_FILE: file }).values;
      expect(loadSettings(unset).settings.mode).toBe("dry-run");
      const set = parseSettings(sidecarSettings, { VOXOPS_AUTOFIX_FILE: file, VOXOPS_AUTOFIX: "OFF" }).values;
      expect(loadSettings(set).settings.mode).toBe("off");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
