#!/usr/bin/env node
// Bundles the Node host as the Fly mirror runs it (`voxops mirror`) into one file,
// dist/voxops-mirror.mjs: no TypeScript at run time and no node_modules in the image.
import { join } from "node:path";
import { bundleForNode, root } from "./node-bundle.js";

await bundleForNode(process.argv[2] ?? join(root, "dist", "voxops-mirror.mjs"), {
  stdin: {
    contents: [
      'import { main } from "./edge/cli/mirror.ts";',
      "process.exitCode = await main(process.argv.slice(2));",
    ].join("\n"),
    resolveDir: root,
    sourcefile: "mirror-entry.ts",
    loader: "ts",
  },
  target: "node24",
  // ws loads these native speed-ups only when installed; the mirror runs without them.
  external: ["bufferutil", "utf-8-validate"],
  banner: {
    // CommonJS dependencies bundled into an ES module still call require() for node built-ins.
    js: 'import { createRequire as __voxopsRequire } from "node:module"; const require = __voxopsRequire(import.meta.url);',
  },
});
