#!/usr/bin/env node
// The voxops command line. Each command is one file exporting `main(argv)` (it reads its options with
// parseCommandLine from protocol/command-line.ts), and one line below: edge/cli/<file> for the
// controller's commands, sidecar/<file> for the sidecar's (edge and sidecar never import each other).
// This file is plain JavaScript so that an older Node can still say which Node is needed.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const commands = {
  start: { file: "start.ts", summary: "run a local controller and a sidecar for this machine" },
  status: { file: "status.ts", summary: "show the connected VMs and their figures" },
  sidecar: {
    file: "main.ts",
    in: "sidecar",
    summary: "run a sidecar against a controller (key in VOXOPS_SIDECAR_KEY)",
  },
  understand: { file: "understand.ts", summary: "read commands as JSON lines on stdin, print typed actions" },
  eval: { file: "eval.ts", summary: "score the understanding layer on the evaluation set" },
  doctor: {
    file: "doctor.ts",
    summary: "on a VM: check that the installed sidecar works (runs its doctor as voxops)",
  },
  mirror: { file: "mirror.ts", summary: "run the Fly.io mirror (the Node host as the lease's secondary)" },
  mcp: {
    file: "mcp.ts",
    summary: "an MCP server on stdio relaying to VOXOPS_URL (token in VOXOPS_API_TOKEN)",
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [name, ...argv] = process.argv.slice(2);

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18) || (major === 23 && minor < 6)) {
  process.stderr.write(
    `voxops needs Node.js 22.18 or newer (it runs its TypeScript sources directly); this is Node.js ${process.version}.\n` +
      "Run it through npm, which uses the Node 24 installed with the project: npm start, or npx voxops <command>.\n",
  );
  process.exit(1);
}

function usage() {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([command, entry]) => {
    const summary = typeof entry === "string" ? "" : entry.summary;
    return `  ${command.padEnd(width)}  ${summary}`.trimEnd();
  });
  return [
    "usage: voxops <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    'Run "voxops <command> --help" for a command\'s options; "voxops --version" prints the version.',
    "",
  ].join("\n");
}

let command = name;
let args = argv;
if (name === "help" && argv[0] !== undefined && Object.hasOwn(commands, argv[0])) {
  command = argv[0];
  args = ["--help"];
} else if (name === undefined || name === "help" || name === "--help" || name === "-h") {
  process.stdout.write(usage());
  process.exit(0);
}
if (name === "--version" || name === "-v" || name === "version") {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  process.stdout.write(`voxops ${version} (Node.js ${process.version})\n`);
  process.exit(0);
}
const entry = Object.hasOwn(commands, command) ? commands[command] : undefined;
if (entry === undefined) {
  const what = command.startsWith("-") ? `there is no option ${command}` : `there is no command "${command}"`;
  process.stderr.write(`voxops: ${what}.\n\n${usage()}`);
  process.exit(2);
}
const path = join(root, ...(entry.in === "sidecar" ? ["sidecar"] : ["edge", "cli"]), entry.file);
if (!existsSync(path)) {
  process.stderr.write(`voxops: the command "${command}" is not built yet.\n`);
  process.exit(2);
}
try {
  const mod = await import(path);
  const code = await mod.main(args);
  if (typeof code === "number") process.exitCode = code;
} catch (error) {
  // A command reports what it expects in sentences; anything else is still one line, not a stack.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `voxops ${command}: ${message}\n` +
      (process.env.VOXOPS_DEBUG === "1"
        ? `${error?.stack ?? ""}\n`
        : "(set VOXOPS_DEBUG=1 to see where it failed)\n"),
  );
  process.exitCode = 1;
}
