// The esbuild setup both one-file bundles share (deploy/build-sidecar.js, deploy/build-mirror.js):
// one minified ES module for Node, its non-ASCII characters escaped, written where the caller says.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The repository's root, whichever build script asks. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Bundles for Node into `outfile` and prints the path. `options` are esbuild's own (entry, target,
 * plugins, banner, externals); the rest is fixed here.
 */
export async function bundleForNode(outfile, options) {
  const result = await build({
    ...options,
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  // esbuild leaves non-ASCII characters (the Russian texts) in string and regular expression literals;
  // one such character makes V8 hold the whole source as UTF-16, twice the memory. \uXXXX escapes mean
  // the same in both.
  const text = result.outputFiles[0].text.replace(
    /[^\0-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile, text);
  process.stdout.write(`${outfile}\n`);
  return outfile;
}
