/**
 * `voxops mcp`: an MCP server on stdio for Claude Desktop, Claude Code and other local clients,
 * relaying to a controller's `/mcp` (VOXOPS_URL, VOXOPS_API_TOKEN; the local run's by default).
 */

import { parseCommandLine } from "../../protocol/command-line.ts";
import { VOXOPS_VERSION } from "../app.ts";
import { runStdioBridge } from "../mcp/stdio-bridge.ts";
import { clientTarget, noTokenAdvice } from "./local-state.ts";

const commandLine = {
  name: "mcp",
  help: `usage: voxops mcp
  An MCP server on stdio for Claude Desktop, Claude Code and other local clients. It relays every
  request to a controller's /mcp, behind that controller's tokens, roles, gate and audit.

  VOXOPS_URL         the controller (default: the local run's, http://127.0.0.1:8787)
  VOXOPS_API_TOKEN   the API token to act with (default: the local run's admin token)`,
  options: {},
} as const;

/** Runs the stdio server until the client closes it; stdout carries only MCP messages. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  const target = clientTarget(env);
  if (target.problems.length > 0) {
    process.stderr.write(`voxops mcp: ${target.problems.join(" ")}\n`);
    return 2;
  }
  const { token } = target;
  if (token === undefined) {
    process.stderr.write(`voxops mcp: ${noTokenAdvice(target)}\n`);
    return 2;
  }
  await runStdioBridge({
    url: target.url,
    token,
    version: VOXOPS_VERSION,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  return 0;
}
