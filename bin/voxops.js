#!/usr/bin/env node
// The voxops command line: each subcommand lives in edge/cli/<name>.ts and exports `main(argv)`.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const commands = {
  start: "start.ts",
  status: "status.ts",
  sidecar: "sidecar.ts",
  understand: "understand.ts",
  eval: "eval.ts",
  mirror: "mirror.ts",
  mcp: "mcp.ts",
};

const [name, ...argv] = process.argv.slice(2);
const file = name === undefined ? undefined : commands[name];
if (file === undefined) {
  process.stderr.write(
    `usage: voxops <command>\n\ncommands:\n` +
      `  start                       run a local controller and a sidecar for this machine\n` +
      `  status                      show the connected VMs and their figures\n` +
      `  sidecar --controller URL --vm NAME   run a sidecar (key in VOXOPS_SIDECAR_KEY)\n` +
      `  understand --inventory FILE read commands as JSONL on stdin, print actions\n` +
      `  eval                        score the understanding layer on the evaluation set\n` +
      `  mcp                         an MCP server on stdio relaying to VOXOPS_URL (token in VOXOPS_API_TOKEN)\n`,
  );
  process.exit(name === undefined || name === "help" || name === "--help" ? 0 : 2);
}
const path = join(dirname(fileURLToPath(import.meta.url)), "..", "edge", "cli", file);
if (!existsSync(path)) {
  process.stderr.write(`voxops: "${name}" is not built yet\n`);
  process.exit(2);
}
const mod = await import(path);
const code = await mod.main(argv);
if (typeof code === "number") process.exitCode = code;
