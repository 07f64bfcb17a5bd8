#!/usr/bin/env node
// Bundles the sidecar into one file, dist/voxops-sidecar.mjs, that runs on Node 20+ with no node_modules.
//   node deploy/build-sidecar.js [OUTFILE] [--websocket ws]
// `--websocket own` builds it with the hand-written client behind the WebSocket port instead of the
// `ws` library that sidecar/link.ts uses (the RSS benchmark, npm run bench:sidecar-rss, compares the two).
import { readFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundleForNode, root } from "./node-bundle.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { websocket: { type: "string", default: "ws" } },
});
if (values.websocket !== "own" && values.websocket !== "ws")
  throw new Error(`--websocket is "own" or "ws", not "${values.websocket}"`);

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
      // A module that is itself a function or class (node:events for `ws`) cannot be a getter object.
      if (args.namespace === "lazy-builtin" || typeof require(name) === "function")
        return { path: name, external: true };
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

/**
 * The one-line swap of sidecar/link.ts done at build time: its WebSocket client import becomes the
 * chosen one (`ws-client.ts`, hand-written, or `ws-library-client.ts`, `ws`). `ws` tries its optional
 * native add-ons in a try block; here they are absent.
 */
const websocketClient = (file) => ({
  name: "websocket-client",
  setup(b) {
    b.onResolve({ filter: /^\.\/(ws-client|ws-library-client)\.ts$/ }, (args) => ({
      path: join(args.resolveDir, file),
    }));
    b.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) => ({
      path: args.path,
      namespace: "absent",
    }));
    b.onLoad({ filter: /.*/, namespace: "absent" }, (args) => ({
      contents: `throw new Error("${args.path} is not installed");`,
    }));
  },
});

await bundleForNode(positionals[0] ?? join(root, "dist", "voxops-sidecar.mjs"), {
  entryPoints: [join(root, "sidecar", "entry.ts")],
  target: "node20",
  plugins: [
    websocketClient(values.websocket === "own" ? "ws-client.ts" : "ws-library-client.ts"),
    lazyBuiltins,
    zodNamespace,
  ],
  banner: {
    // Externals are node built-ins only; process.getBuiltinModule (Node 20.16+) loads them without node:module.
    js: 'const require = process.getBuiltinModule ? (id) => process.getBuiltinModule(id) : (await import("node:module")).createRequire(import.meta.url);',
  },
});
