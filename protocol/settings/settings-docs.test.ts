// The README's settings tables and .dev.vars.example are what `npm run docs:settings` makes from the
// declarations: this fails when a declaration changed and the documents were not regenerated.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../../deploy/write-settings-docs.ts";
import { edgeSettings } from "./edge-settings.ts";
import { markers, renderDevVars, replaceGenerated } from "./settings-docs.ts";

const root = join(import.meta.dirname, "..", "..");

describe("the settings documents", () => {
  it("README.md and .dev.vars.example are up to date (run npm run docs:settings)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    for (const [path, text] of Object.entries(generatedFiles(readme)))
      expect(
        readFileSync(join(root, path), "utf8"),
        `${path} is out of date: run npm run docs:settings`,
      ).toBe(text);
  });

  it("lists every Worker setting in .dev.vars.example, secrets as empty placeholders", () => {
    const example = renderDevVars(edgeSettings);
    for (const [name, s] of Object.entries(edgeSettings)) {
      if (!s.where.some((w) => w === "worker-secret" || w === "wrangler-var")) continue;
      if (s.secret) expect(example).toMatch(new RegExp(`^${name}=$`, "m"));
      else expect(example).toMatch(new RegExp(`^# ${name}=`, "m"));
    }
    expect(example).toMatch(/^TELEGRAM_BOT_TOKEN=$/m);
  });

  it("fails on a README without the markers, instead of writing nothing", () => {
    expect(() => replaceGenerated("# no markers", "edge", "x")).toThrow(/settings:edge/);
    const { start, end } = markers("edge");
    expect(replaceGenerated(`a\n${start}\nold\n${end}\nb`, "edge", "new")).toBe(
      `a\n${start}\nnew\n${end}\nb`,
    );
  });
});
