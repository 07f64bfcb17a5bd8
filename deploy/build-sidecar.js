#!/usr/bin/env node
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
// Bundles the sidecar into one file, dist/voxops-sidecar.mjs, that runs on Node 20+ with no node_modules.
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = process.argv[2] ?? join(root, "dist", "voxops-sidecar.mjs");
await build({
  entryPoints: [join(root, "sidecar", "entry.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  legalComments: "none",
  banner: {
    js: "import { createRequire as __voxopsRequire } from 'node:module'; const require = __voxopsRequire(import.meta.url);",
  },
  logLevel: "warning",
});
process.stdout.write(`${outfile}\n`);
