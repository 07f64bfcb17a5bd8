/**
 * `voxops mcp`: an MCP server on stdio for Claude Desktop, Claude Code and other local clients,
 * relaying to a controller's `/mcp` (VOXOPS_URL, VOXOPS_API_TOKEN; the local run's by default).
 */
import { VOXOPS_VERSION } from "../app.ts";
import { runStdioBridge } from "../mcp/stdio-bridge.ts";
import { apiToken, controllerUrl, secretsFile } from "./local-state.ts";

/** Runs the stdio server until the client closes it; stdout carries only MCP messages. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.length > 0) {
    process.stderr.write(
      "usage: voxops mcp   (no arguments; the controller comes from VOXOPS_URL, the token from VOXOPS_API_TOKEN)\n",
    );
    return 2;
  }
  const token = apiToken(env);
  if (token === undefined) {
    process.stderr.write(
      `voxops mcp: no API token. Set VOXOPS_API_TOKEN (a token from the controller's VOXOPS_API_TOKENS), or run npm start once so that ${secretsFile(env)} exists.\n`,
    );
    return 2;
  }
  await runStdioBridge({
    url: controllerUrl(env),
    token,
    version: VOXOPS_VERSION,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  return 0;
}
