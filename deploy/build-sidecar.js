#!/usr/bin/env node
// Bundles the sidecar into one file, dist/voxops-sidecar.mjs, that runs on Node 20+ with no node_modules.
import { readFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import { join } from "node:path";
import { bundleForNode, root } from "./node-bundle.js";

const require = createRequire(import.meta.url);
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Node built-in modules are loaded when the sidecar first touches one of their exports, not at
 * start: each import of `node:x` becomes an object of getters that require the module on first
 * use. An idle sidecar then does not pay (in RSS) for http, crypto, child_process or readline that
 * only some actions and peers need. The values are the real module's, so behaviour is unchanged.
 */
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      if (!builtins.has(args.path)) return undefined;
      const name = args.path.startsWith("node:") ? args.path : `node:${args.path}`;
      if (args.namespace === "lazy-builtin") return { path: name, external: true };
      return { path: name, namespace: "lazy-builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => {
      const names = Object.getOwnPropertyNames(require(args.path)).filter((n) => n !== "default");
      const getters = names
        .map((n) => `${JSON.stringify(n)}: { get: () => load()[${JSON.stringify(n)}], enumerable: true }`)
        .join(",\n  ");
      return {
        loader: "js",
        contents: `let mod;\nconst load = () => (mod ??= require(${JSON.stringify(args.path)}));\nObject.defineProperties(module.exports, {\n  ${getters}\n});\n`,
      };
    });
  },
};

/**
 * `import { z } from "zod"` binds zod's whole namespace object, so esbuild must keep all of zod
 * (~450 kB minified); `import * as z from "zod"` is the same namespace (zod's index re-exports it)
 * but lets esbuild drop what the sidecar never calls. Rewritten here for every bundled module.
 */
const zodNamespace = {
  name: "zod-namespace",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      return {
        loader: "ts",
        contents: source.replace(/^import \{ z \} from "zod";$/m, 'import * as z from "zod";'),
      };
    });
  },
};

await bundleForNode(join(root, "dist", "voxops-sidecar.mjs"), {
  entryPoints: [join(root, "sidecar", "entry.ts")],
  target: "node20",
  plugins: [lazyBuiltins, zodNamespace],
  banner: {
    // Externals are node built-ins only; process.getBuiltinModule (Node 20.16+) loads them without node:module.
    js: 'const require = process.getBuiltinModule ? (id) => process.getBuiltinModule(id) : (await import("node:module")).createRequire(import.meta.url);',
  },
});
