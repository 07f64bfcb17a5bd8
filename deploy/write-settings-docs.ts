/**
 * `npm run docs:settings`: writes the README's settings tables (between their markers) and
 * `.dev.vars.example` from the declarations in protocol/settings/; `--check` only says what is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { edgeSettings } from "../protocol/settings/edge-settings.ts";
import { deployables } from "../protocol/settings/known-settings.ts";
import { renderDevVars, renderSettingsTable, replaceGenerated } from "../protocol/settings/settings-docs.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The files as the declarations say they should be, by path relative to the repository. */
export function generatedFiles(readme: string): Record<string, string> {
  let text = readme;
  for (const d of deployables) text = replaceGenerated(text, d.id, renderSettingsTable(d.settings));
  return { "README.md": text, ".dev.vars.example": renderDevVars(edgeSettings) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const files = generatedFiles(readFileSync(join(root, "README.md"), "utf8"));
  const stale: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    let now = "";
    try {
      now = readFileSync(file, "utf8");
    } catch {}
    if (now === text) continue;
    stale.push(path);
    if (!check) writeFileSync(file, text);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`Out of date: ${stale.join(", ")}. Run npm run docs:settings.\n`);
    process.exitCode = 1;
  } else process.stdout.write(stale.length > 0 ? `Wrote ${stale.join(", ")}.\n` : "Up to date.\n");
}
