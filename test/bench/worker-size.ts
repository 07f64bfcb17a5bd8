/**
 * `npm run size:worker`: the Worker's bundle as `wrangler deploy --dry-run` builds it (the same
 * esbuild pass a deploy uploads), with each output file's raw and gzip size and the totals. Prints
 * figures; asserts nothing.
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

try {
  execFileSync(join(repo, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", out], {
    cwd: repo,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "ignore", "inherit"],
  });
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
} finally {
  if (values.keep) process.stdout.write(`kept in ${out}\n`);
  else rmSync(out, { recursive: true, force: true });
}
