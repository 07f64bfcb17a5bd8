#!/usr/bin/env node
// Bundles the Node host as the Fly mirror runs it (`voxops mirror`) into one file,
// dist/voxops-mirror.mjs: no TypeScript at run time and no node_modules in the image.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = process.argv[2] ?? join(root, "dist", "voxops-mirror.mjs");

const result = await build({
  stdin: {
    contents: [
      'import { main } from "./edge/cli/mirror.ts";',
      "process.exitCode = await main(process.argv.slice(2));",
    ].join("\n"),
    resolveDir: root,
    sourcefile: "mirror-entry.ts",
    loader: "ts",
  },
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  minify: true,
  legalComments: "none",
  // ws loads these native speed-ups only when installed; the mirror runs without them.
  external: ["bufferutil", "utf-8-validate"],
  banner: {
    // CommonJS dependencies bundled into an ES module still call require() for node built-ins.
    js: 'import { createRequire as __voxopsRequire } from "node:module"; const require = __voxopsRequire(import.meta.url);',
  },
  logLevel: "warning",
  write: false,
});
// One non-ASCII character (the Russian texts) makes V8 keep the whole source as UTF-16, twice the
// memory; \uXXXX escapes mean the same in strings and regular expressions.
const text = result.outputFiles[0].text.replace(
  /[^\0-\x7f]/g,
  (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
);
await mkdir(dirname(outfile), { recursive: true });
await writeFile(outfile, text);
process.stdout.write(`${outfile}\n`);
