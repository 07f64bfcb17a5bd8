// A setting read anywhere must be declared, so that it is parsed once, documented and, when it is a
// secret, kept out of logs and child processes: every VOXOPS_*, TELEGRAM_*, LLM_*, STT_*, TTS_*, OCI_*
// name in the source is a declared setting, or one of the few constants that only look like one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { knownSettingNames } from "./known-settings.ts";

const root = join(import.meta.dirname, "..", "..");
/** Names that are not environment variables: a version constant and the polkit rule's template variables. */
const notSettings = new Set(["VOXOPS_VERSION", "VOXOPS_UNITS", "VOXOPS_VERBS", "VOXOPS_CREATED"]);

function sourceFiles(): string[] {
  return ["edge", "sidecar", "protocol", "bin", "deploy"].flatMap((dir) =>
    (readdirSync(join(root, dir), { recursive: true }) as string[])
      .filter((f) => /\.(ts|js|sh|in)$/.test(f) && !f.endsWith(".test.ts") && !f.includes("fixtures"))
      .map((f) => join(dir, f)),
  );
}

describe("every setting in the source is declared", () => {
  it("finds no undeclared VOXOPS_*, TELEGRAM_*, LLM_*, STT_*, TTS_*, OCI_* name", () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    const undeclared: string[] = [];
    for (const file of files)
      for (const m of readFileSync(join(root, file), "utf8").matchAll(
        /\b(?:VOXOPS|TELEGRAM|LLM|STT|TTS|OCI|GROQ)_[A-Z0-9_]*[A-Z0-9]\b/g,
      ))
        if (!knownSettingNames.includes(m[0]) && !notSettings.has(m[0]))
          undeclared.push(`${m[0]} in ${file}`);
    expect(undeclared).toEqual([]);
  });
});
