/**
 * `voxops mcp` over stdio, started exactly as the README's Claude Desktop and Claude Code snippets
 * say, relaying to a Node host with a real sidecar process: tools, a read, a reboot confirmed
 * through the local client's elicitation, refusals, and a clear error without a token.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorld, tokens, type World } from "../e2e/world.ts";
import { repo, stopAll } from "../support/child.ts";

type ServerEntry = { command: string; args: string[]; env: Record<string, string> };

/** The JSON snippets of the README's MCP section, in order (Claude Desktop, then Claude Code). */
function readmeSnippets(): ServerEntry[] {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## MCP (Claude Desktop, Claude Code)"));
  const body = section.slice(0, section.indexOf("\n## ", 5));
  return [...body.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (m) => (JSON.parse(m[1] ?? "") as { mcpServers: { voxops: ServerEntry } }).mcpServers.voxops,
  );
}

/** Fills the snippet's placeholders: the clone's path, this world's controller and a token. */
function filled(entry: ServerEntry, url: string, token: string): ServerEntry {
  const fill = (s: string) => s.replaceAll("/path/to/voxops", repo);
  return {
    command: fill(entry.command),
    args: entry.args.map(fill),
    env: { ...entry.env, VOXOPS_URL: url, VOXOPS_API_TOKEN: token },
  };
}

// Each test starts `voxops mcp` (through npx for Claude Code) and crosses a real sidecar process;
// on a loaded machine that takes tens of seconds.
vi.setConfig({ testTimeout: 150_000 });
let w: World;
const clients: Client[] = [];
const away = mkdtempSync("/var/tmp/voxops-mcp-cwd-");
beforeAll(async () => {
  w = await startWorld();
}, 30_000);
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await w?.close();
  await stopAll();
  rmSync(away, { recursive: true, force: true });
});

async function start(entry: ServerEntry, cwd: string, asker?: { questions: string[] }): Promise<Client> {
  const client = new Client(
    { name: "stdio-test", version: "1" },
    { capabilities: asker ? { elicitation: { form: {} } } : {} },
  );
  if (asker)
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asker.questions.push(request.params.message);
      return { action: "accept", content: { confirm: true } };
    });
  // As an MCP client does: the snippet's command, args and env on top of a minimal environment.
  await client.connect(
    new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: entry.env,
      cwd,
      stderr: "pipe",
    }),
    { timeout: 120_000 },
  );
  clients.push(client);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("the README's snippets", () => {
  it("has a Claude Desktop and a Claude Code snippet", () => {
    const [desktop, code] = readmeSnippets();
    expect(desktop?.args).toEqual(["/path/to/voxops/bin/voxops.js", "mcp"]);
    expect(code).toMatchObject({ command: "npx", args: ["voxops", "mcp"] });
  });

  it("Claude Desktop's, from another directory: tools, a read, a reboot confirmed through elicitation", async () => {
    const [desktop] = readmeSnippets();
    const asker = { questions: [] as string[] };
    const client = await start(filled(desktop!, w.host.url, tokens.admin), away, asker);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["status", "logs", "reboot", "ask", "confirm"]),
    );

    const status = await call(client, "status", { vm: "vm1" });
    expect(status.isError).toBeFalsy();
    expect(textOf(status)).toMatch(/🖥 vm1: load [\d.]+ [\d.]+ [\d.]+, memory/);

    const before = w.reboots().length;
    const reboot = await call(client, "reboot", { vm: "vm1" });
    expect(asker.questions).toHaveLength(1);
    expect(asker.questions[0]).toMatch(/^Reboot vm1 \(main\)\? Last heartbeat \d+ s ago\.$/);
    expect(reboot.isError).toBeFalsy();
    expect(textOf(reboot)).toMatch(/Rebooting vm1/);
    await expect.poll(() => w.reboots().length, { timeout: 10_000 }).toBe(before + 1);
    const audit = (await w.api("/agent/audit?limit=100")).body.records as any[];
    expect(
      audit.some((r) => r.action === "reboot" && r.outcome === "confirmed" && r.actor.kind === "mcp"),
    ).toBe(true);
  });

  it("Claude Code's, in the clone: a viewer is refused a change in words; unknown tools are tool errors", async () => {
    const [, code] = readmeSnippets();
    const client = await start(filled(code!, w.host.url, tokens.viewer), repo);
    const refused = await call(client, "restart", { service: "grok-voice" });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^Refused: .*operator role; you are viewer/);
    const unknown = await call(client, "rm-rf", {});
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/There is no tool called "rm-rf"/);
    await expect(client.readResource({ uri: "voxops://audit" })).rejects.toThrow(/needs the admin role/);
  });
});

describe("voxops mcp without a usable token", () => {
  it("exits with a sentence naming VOXOPS_API_TOKEN when there is none", () => {
    const [desktop] = readmeSnippets();
    const entry = filled(desktop!, w.host.url, "");
    const run = spawnSync(entry.command, entry.args, {
      cwd: away,
      env: { PATH: process.env["PATH"] ?? "", VOXOPS_URL: w.host.url, VOXOPS_HOME: away },
      input: "",
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^voxops mcp: no API token: \S+local\.json does not exist\. Set VOXOPS_API_TOKEN, or set VOXOPS_HOME/,
    );
  });

  it("answers a tool call with a tool error in words when the controller refuses the token", async () => {
    const [desktop] = readmeSnippets();
    const client = await start(filled(desktop!, w.host.url, "not-a-token-of-this-controller"), away);
    const res = await call(client, "status", { vm: "vm1" });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe(
      `The controller at ${w.host.url} refused the API token; set VOXOPS_API_TOKEN to one of the tokens in its VOXOPS_API_TOKENS.`,
    );
  });
});
