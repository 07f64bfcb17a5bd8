/**
 * `/mcp` on the Node host with the MCP SDK's own client over Streamable HTTP: the tools generated
 * from the catalog, a read and a changing action on a real sidecar process, a reboot through
 * elicitation, the pending-confirmation path, refusals, malformed JSON-RPC and unknown tools.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import { actionArgs, actionDefinitions, actionSpecs } from "../../protocol/actions/catalog.ts";
import { startWorld, tokens, type World } from "../e2e/world.ts";
import { stopAll } from "../support/child.ts";

// Each call crosses a real sidecar process and service; a loaded machine can take tens of seconds.
vi.setConfig({ testTimeout: 60_000 });
let w: World;
const clients: Client[] = [];
beforeAll(async () => {
  w = await startWorld();
}, 30_000);
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await w?.close();
  await stopAll();
});

/** Answers the server's confirmation questions as `answer` says, and remembers them. */
type Asker = { questions: string[]; answer: "yes" | "no" };

async function connect(token: string | undefined, asker?: Asker): Promise<Client> {
  const client = new Client(
    { name: "mcp-http-test", version: "1" },
    { capabilities: asker ? { elicitation: { form: {} } } : {} },
  );
  if (asker)
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asker.questions.push(request.params.message);
      return asker.answer === "yes"
        ? { action: "accept", content: { confirm: true } }
        : { action: "decline" };
    });
  const transport = new StreamableHTTPClientTransport(new URL(`${w.host.url}/mcp`), {
    ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const audit = async (): Promise<any[]> =>
  (await w.api("/agent/audit?limit=300", { token: tokens.admin })).body.records;

describe("tools", () => {
  it("lists one tool per operator action with the catalog's argument schema, plus ask and confirm", async () => {
    const client = await connect(tokens.viewer);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const action of Object.keys(actionArgs).filter(
      (a) => actionDefinitions[a as keyof typeof actionDefinitions].mcp !== "internal",
    )) {
      const tool = tools.find((t) => t.name === action);
      expect(tool, action).toBeDefined();
      const catalog = z.toJSONSchema(actionArgs[action as keyof typeof actionArgs], { io: "input" }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      const { vm, lang, ...own } = tool!.inputSchema.properties ?? {};
      expect(own, action).toEqual(catalog.properties ?? {});
      expect(tool!.inputSchema.required ?? [], action).toEqual(catalog.required ?? []);
      expect(vm).toMatchObject({ enum: ["vm1", "vm2", "all"] });
      expect(lang).toMatchObject({ enum: ["en", "ru"] });
      expect(tool!.annotations?.readOnlyHint).toBe(
        actionSpecs[action as keyof typeof actionSpecs].risk === "read",
      );
      expect(tool!.outputSchema).toBeDefined();
    }
    expect(names).toContain("ask");
    expect(names).toContain("confirm");
    expect(names).not.toContain("probe");
    expect(names).not.toContain("code-apply");
    expect(tools.find((t) => t.name === "reboot")?.annotations?.destructiveHint).toBe(true);
  });

  it("reads a real VM's status through the sidecar", async () => {
    const client = await connect(tokens.viewer);
    const status = await call(client, "status", { vm: "vm1" });
    expect(status.isError).toBeFalsy();
    expect(textOf(status)).toMatch(/🖥 vm1: load [\d.]+ [\d.]+ [\d.]+, memory/);
    expect(status.structuredContent).toMatchObject({ status: "ok", results: [{ vm: "vm1", ok: true }] });
  });

  it("restarts a service for an operator, verified by its health URL and journal, audited as via mcp", async () => {
    const client = await connect(tokens.operator);
    const res = await call(client, "restart", { service: "grok-voice" });
    expect(res.isError).toBeFalsy();
    expect(textOf(res)).toMatch(/✅ grok-voice on vm1 restarted/);
    expect((await fetch(`http://127.0.0.1:${w.healthPort}/health`)).status).toBe(200);
    const logs = await call(client, "logs", { service: "grok-voice", lines: 20 });
    expect(logs.isError).toBeFalsy();
    const result = (logs.structuredContent as any).results[0];
    expect(result.vm).toBe("vm1");
    expect(result.output.lines.join("\n")).toMatch(/listening on 127\.0\.0\.1/);
    const records = await audit();
    const dispatched = records.find((r) => r.action === "restart" && r.outcome === "dispatched");
    expect(dispatched?.actor).toMatchObject({
      kind: "mcp",
      id: expect.stringMatching(/^token:[0-9a-f]{12}$/),
    });
  }, 60_000);

  it("refuses a restart to a viewer as a tool error in words, runs nothing, audits the refusal", async () => {
    const before = w.journal("grok-voice.service").length;
    const client = await connect(tokens.viewer);
    const res = await call(client, "restart", { service: "grok-voice", vm: "vm1" });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/^Refused: .*operator role; you are viewer/);
    expect(w.journal("grok-voice.service")).toHaveLength(before);
    expect(
      (await audit()).some((r) => r.action === "restart" && r.outcome === "denied" && r.actor.kind === "mcp"),
    ).toBe(true);
  });

  it("answers bad arguments, unknown services, an offline VM and unknown tools with tool errors", async () => {
    const client = await connect(tokens.admin);
    const shell = await call(client, "restart", { service: "grok-voice; rm -rf /", vm: "vm1" });
    expect(shell.isError).toBe(true);
    expect(textOf(shell)).toMatch(/^Not accepted: restart: service: a service name is lowercase/);
    const unknown = await call(client, "restart", { service: "no-such-service" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(
      /^No VM runs a service called "no-such-service"\. Known services: .*grok-voice.*\.$/,
    );
    const offline = await call(client, "status", { vm: "vm2" });
    expect(offline.isError).toBe(true);
    expect(textOf(offline)).toMatch(/vm2/);
    expect(textOf(offline)).not.toMatch(/[{}]/);
    const nothing = await call(client, "format-disk", { vm: "vm1" });
    expect(nothing.isError).toBe(true);
    expect(textOf(nothing)).toBe(
      'There is no tool called "format-disk". List the tools to see the actions voxops offers.',
    );
  });

  it("answers free text through the understanding layer", async () => {
    const client = await connect(tokens.viewer);
    const res = await call(client, "ask", { text: "Проверь статус на первой машине" });
    expect(res.isError).toBeFalsy();
    expect(textOf(res)).toMatch(/🖥 vm1: нагрузка [\d.]+ [\d.]+ [\d.]+, занято памяти/);
  });
});

describe("confirmations", () => {
  it("asks the human through elicitation and does nothing when they decline", async () => {
    const before = w.reboots().length;
    const asker: Asker = { questions: [], answer: "no" };
    const client = await connect(tokens.admin, asker);
    const res = await call(client, "reboot", { vm: "vm1" });
    expect(asker.questions).toHaveLength(1);
    expect(asker.questions[0]).toMatch(/^Reboot vm1 \(main\)\? Last heartbeat \d+ s ago\.$/);
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe("Refused: Not confirmed by the human; nothing was run.");
    expect(w.reboots()).toHaveLength(before);
    expect((await audit()).some((r) => r.action === "reboot" && r.outcome === "cancelled")).toBe(true);
  });

  it("asks through elicitation for a request in words (ask) too", async () => {
    const before = w.reboots().length;
    const asker: Asker = { questions: [], answer: "no" };
    const client = await connect(tokens.admin, asker);
    const res = await call(client, "ask", { text: "reboot the main VM" });
    expect(asker.questions).toEqual([
      expect.stringMatching(/^Reboot vm1 \(main\)\? Last heartbeat \d+ s ago\.$/),
    ]);
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe("Refused: Not confirmed by the human; nothing was run.");
    expect(w.reboots()).toHaveLength(before);
  });

  it("returns a pending confirmation without elicitation: not for another token, not after expiry, once", async () => {
    const before = w.reboots().length;
    const admin = await connect(tokens.admin);
    const asked = await call(admin, "reboot", { vm: "vm1" });
    expect(asked.isError).toBeFalsy();
    const pending = asked.structuredContent as {
      status: string;
      confirmationId: string;
      readBack: string;
      expiresAt: string;
    };
    expect(pending.status).toBe("pending-confirmation");
    expect(pending.readBack).toMatch(/^Reboot vm1 \(main\)\?/);
    expect(Date.parse(pending.expiresAt) - w.clock.now()).toBeGreaterThan(50_000);
    expect(textOf(asked)).toContain(`confirm tool and id ${pending.confirmationId}`);

    const other = await connect(tokens.admin2);
    const stolen = await call(other, "confirm", { id: pending.confirmationId });
    expect(stolen.isError).toBe(true);
    expect(textOf(stolen)).toBe("Only the person who asked can confirm this.");

    expect(w.reboots()).toHaveLength(before);
    const done = await call(admin, "confirm", { id: pending.confirmationId });
    expect(done.isError).toBeFalsy();
    expect(textOf(done)).toMatch(/Rebooting vm1/);
    await expect.poll(() => w.reboots().length, { timeout: 10_000 }).toBe(before + 1);
    const twice = await call(admin, "confirm", { id: pending.confirmationId });
    expect(twice.isError).toBe(true);
    expect(textOf(twice)).toBe("Already confirmed; not running it twice.");

    const late = await call(admin, "reboot", { vm: "vm1" });
    const lateId = (late.structuredContent as { confirmationId: string }).confirmationId;
    w.clock.advance(61_000);
    const expired = await call(admin, "confirm", { id: lateId });
    expect(expired.isError).toBe(true);
    expect(textOf(expired)).toMatch(/expired/i);
  });

  it("runs a confirmed reboot through elicitation: the watchdog answers (vm1 is still rebooting)", async () => {
    const before = w.reboots().length;
    const confirmed = async () =>
      (await audit()).filter(
        (r) => r.action === "reboot" && r.outcome === "confirmed" && r.actor.kind === "mcp",
      ).length;
    const confirmedBefore = await confirmed();
    const asker: Asker = { questions: [], answer: "yes" };
    const client = await connect(tokens.admin, asker);
    const res = await call(client, "reboot", { vm: "vm1" });
    expect(asker.questions).toHaveLength(1);
    // The reboot from the pending-confirmation test is still under way, so the watchdog's executor
    // declines this one and the tool error says why (a fresh VM reboots: test/mcp/stdio.test.ts).
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/vm1 is already being rebooted/);
    expect(w.reboots()).toHaveLength(before);
    expect(await confirmed()).toBe(confirmedBefore + 1);
  });
});

describe("resources", () => {
  it("serves the inventory and a VM's status, and the audit to admins only", async () => {
    const viewer = await connect(tokens.viewer);
    const { resources } = await viewer.listResources();
    expect(resources.map((r) => r.uri)).toEqual([
      "voxops://inventory",
      "voxops://audit",
      "voxops://vm/vm1/status",
      "voxops://vm/vm2/status",
    ]);
    const inventory = await viewer.readResource({ uri: "voxops://inventory" });
    const inv = JSON.parse((inventory.contents[0] as { text: string }).text);
    expect(inv.vms.map((v: { name: string }) => v.name)).toEqual(["vm1", "vm2"]);
    const status = await viewer.readResource({ uri: "voxops://vm/vm1/status" });
    expect(JSON.parse((status.contents[0] as { text: string }).text)).toMatchObject({
      vm: "vm1",
      connected: true,
    });
    await expect(viewer.readResource({ uri: "voxops://audit" })).rejects.toThrow(/needs the admin role/);
    const admin = await connect(tokens.admin);
    const audit = await admin.readResource({ uri: "voxops://audit" });
    expect(JSON.parse((audit.contents[0] as { text: string }).text).records.length).toBeGreaterThan(0);
  });
});

describe("the transport", () => {
  it("refuses a client without a token or with a wrong one (401)", async () => {
    await expect(connect(undefined)).rejects.toThrow(/401|API token/);
    await expect(connect("not-a-valid-token-at-all")).rejects.toThrow(/401|not valid/);
  });

  it("refuses a session opened with another token (403)", async () => {
    const admin = await connect(tokens.admin);
    const sessionId = (admin.transport as StreamableHTTPClientTransport).sessionId;
    expect(sessionId).toBeTruthy();
    const res = await fetch(`${w.host.url}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.viewer}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": sessionId!,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe("This MCP session was opened with another API token.");
  });

  it("answers malformed JSON-RPC with a JSON-RPC error, not a crash", async () => {
    const post = (body: string) =>
      fetch(`${w.host.url}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${tokens.viewer}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body,
      });
    const broken = await post("{not json");
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe(-32700);
    const notRpc = await post(JSON.stringify({ hello: "world" }));
    expect(notRpc.status).toBe(400);
    expect((await notRpc.json()).error.code).toBeLessThan(0);
    // The host still serves MCP afterwards.
    const client = await connect(tokens.viewer);
    expect((await client.listTools()).tools.length).toBeGreaterThan(3);
  });
});
