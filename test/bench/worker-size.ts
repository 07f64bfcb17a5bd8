/**
 * `npm run size:worker`: the Worker's bundle as `wrangler deploy --dry-run` builds it (the same
 * esbuild pass a deploy uploads), with each output file's raw and gzip size, the totals, and the
 * largest contributors by package or folder (bytes each leaves in the bundle, from esbuild's metafile).
 * Prints figures; asserts nothing.
 *
 *   node test/bench/worker-size.ts [--keep]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { repo } from "../support/child.ts";

const { values } = parseArgs({ options: { keep: { type: "boolean" } } });
mkdirSync("/var/tmp", { recursive: true });
const out = mkdtempSync("/var/tmp/voxops-worker-size-");
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

/** Bytes in the bundle by npm package, or by the repository's folder, largest first. */
function contributors(metafile: string): [string, number][] {
  const meta = JSON.parse(readFileSync(metafile, "utf8")) as Metafile;
  const totals = new Map<string, number>();
  for (const [output, { inputs }] of Object.entries(meta.outputs)) {
    if (output.endsWith(".map")) continue;
    for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
      const inPackage = input.split("node_modules/").at(-1) ?? input;
      const parts = inPackage.split("/");
      const name =
        inPackage !== input
          ? parts.slice(0, parts[0]?.startsWith("@") ? 2 : 1).join("/")
          : parts.slice(0, Math.min(2, parts.length - 1)).join("/") || input;
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

try {
  execFileSync(
    join(repo, "node_modules", ".bin", "wrangler"),
    ["deploy", "--dry-run", "--outdir", out, "--metafile", join(out, "meta.json")],
    {
      cwd: repo,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const files = readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && /\.(m?js|wasm)$/.test(f.name))
    .map((f) => join(f.parentPath, f.name));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += zipped;
    process.stdout.write(`${file.slice(out.length + 1)}: ${kib(bytes.length)} raw, ${kib(zipped)} gzip\n`);
  }
  process.stdout.write(`Worker bundle total: ${kib(raw)} raw, ${kib(gzip)} gzip (${files.length} files)\n`);
  process.stdout.write("Largest contributors (raw, before gzip):\n");
  for (const [name, bytes] of contributors(join(out, "meta.json")).slice(0, 12))
    process.stdout.write(`  ${kib(bytes).padStart(10)}  ${name}\n`);
} finally {
  if (values.keep) process.stdout.write(`kept in ${out}\n`);
  else rmSync(out, { recursive: true, force: true });
}
