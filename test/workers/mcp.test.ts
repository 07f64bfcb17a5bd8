/**
 * `/mcp` inside workerd: the Worker routes it to the fleet's Durable Object, where the MCP SDK's own
 * client (over Streamable HTTP) reaches the same desk and gate. The test stands in for vm1's sidecar
 * on a real WebSocket into the Durable Object and answers its command frames.
 */
import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { describe, expect, it } from "vitest";

const ADMIN = "test-admin-token-0000";
const VIEWER = "test-viewer-token-000";

type Frame = { type: string; id?: string; action?: string; [k: string]: unknown };

/** vm1's sidecar, played by the test on a real socket: hello, a heartbeat, then frames on demand. */
async function sidecar(vm: string, key: string) {
  const res = await SELF.fetch(`http://voxops.test/sidecar?vm=${vm}`, {
    headers: { upgrade: "websocket", authorization: `Bearer ${key}` },
  });
  const ws = res.webSocket;
  if (!ws) throw new Error(`sidecar socket refused: ${res.status}`);
  ws.accept();
  const frames: Frame[] = [];
  const waiting: { type: string; resolve: (f: Frame) => void }[] = [];
  ws.addEventListener("message", (e) => {
    const frame = JSON.parse(String(e.data)) as Frame;
    const i = waiting.findIndex((w) => w.type === frame.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(frame);
    else frames.push(frame);
  });
  ws.send(
    JSON.stringify({
      type: "hello",
      v: 1,
      vm,
      version: "test",
      capabilities: ["status"],
      services: [],
      startedAt: Date.now(),
    }),
  );
  ws.send(
    JSON.stringify({
      type: "heartbeat",
      at: Date.now(),
      figures: {
        uptimeS: 100,
        load: [0.5, 0.4, 0.3],
        memory: { totalB: 1e9, availableB: 6e8 },
        disk: { path: "/", totalB: 5e10, freeB: 2e10 },
      },
      failedUnits: [],
      peers: [],
    }),
  );
  const next = (type: string): Promise<Frame> => {
    const i = frames.findIndex((f) => f.type === type);
    if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]!);
    return new Promise((resolve) => waiting.push({ type, resolve }));
  };
  return { ws, next };
}

async function connect(token: string | undefined, asker?: { questions: string[] }): Promise<Client> {
  const client = new Client(
    { name: "workerd-test", version: "1" },
    {
      capabilities: asker ? { elicitation: { form: {} } } : {},
      jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
    },
  );
  if (asker)
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asker.questions.push(request.params.message);
      return { action: "accept", content: { confirm: true } };
    });
  await client.connect(
    new StreamableHTTPClientTransport(new URL("http://voxops.test/mcp"), {
      fetch: (input, init) => SELF.fetch(input, init),
      ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
    }),
  );
  return client;
}

const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

describe("/mcp in the Durable Object", () => {
  it("refuses a client without a token", async () => {
    await expect(connect(undefined)).rejects.toThrow(/401|API token/);
  });

  it("lists the catalog's tools and runs a read on vm1's socket", async () => {
    const side = await sidecar("vm1", "test-key-vm1");
    const client = await connect(VIEWER);
    const { tools } = await client.listTools();
    const status = tools.find((t) => t.name === "status");
    expect(status?.inputSchema.properties?.["vm"]).toMatchObject({ enum: ["vm1", "vm2", "all"] });
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["logs", "reboot", "ask", "confirm"]));

    const pending = call(client, "status", { vm: "vm1" });
    const command = await side.next("command");
    expect(command).toMatchObject({ action: "status" });
    side.ws.send(JSON.stringify({ type: "ack", id: command.id, of: "command" }));
    side.ws.send(
      JSON.stringify({ type: "result", id: command.id, ok: true, output: { uptimeS: 100, services: [] } }),
    );
    const res = await pending;
    expect(res.isError).toBeFalsy();
    expect(res.structuredContent).toMatchObject({
      status: "ok",
      results: [{ vm: "vm1", ok: true, output: { uptimeS: 100 } }],
    });
    await client.close();
    side.ws.close(1000, "done");
  });

  it("refuses a viewer's restart and an unknown tool with tool errors in words", async () => {
    const client = await connect(VIEWER);
    const restart = await call(client, "restart", { vm: "vm1", service: "nginx" });
    expect(restart.isError).toBe(true);
    expect(textOf(restart)).toMatch(/^Refused: .*operator role; you are viewer/);
    const unknown = await call(client, "shell", { vm: "vm1" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/There is no tool called "shell"/);
    await client.close();
  });

  it("asks for a reboot through elicitation and runs it once the human says yes", async () => {
    const side = await sidecar("vm1", "test-key-vm1");
    const asker = { questions: [] as string[] };
    const client = await connect(ADMIN, asker);
    const res = await call(client, "reboot", { vm: "vm1" });
    expect(asker.questions).toHaveLength(1);
    expect(asker.questions[0]).toMatch(/^Reboot vm1 \(main\)\?/);
    expect(textOf(res)).toMatch(/Rebooting vm1/);
    expect(res.isError).toBeFalsy();
    const audit = await SELF.fetch("http://voxops.test/agent/audit?limit=50", {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const { records } = (await audit.json()) as {
      records: { action: string; outcome: string; actor: { kind: string } }[];
    };
    expect(
      records.some((r) => r.action === "reboot" && r.outcome === "confirmed" && r.actor.kind === "mcp"),
    ).toBe(true);
    await client.close();
    side.ws.close(1000, "done");
  });

  it("returns a pending confirmation without elicitation that only the same token can settle, once", async () => {
    const admin = await connect(ADMIN);
    const asked = await call(admin, "reboot", { vm: "vm2" });
    const { confirmationId, status } = asked.structuredContent as { confirmationId: string; status: string };
    expect(status).toBe("pending-confirmation");
    const viewer = await connect(VIEWER);
    const stolen = await call(viewer, "confirm", { id: confirmationId });
    expect(stolen.isError).toBe(true);
    expect(textOf(stolen)).toBe("Only the person who asked can confirm this.");
    const cancelled = await call(admin, "confirm", { id: confirmationId, cancel: true });
    expect(textOf(cancelled)).toBe("Cancelled.");
    const again = await call(admin, "confirm", { id: confirmationId });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toBe("This command was cancelled.");
    await admin.close();
    await viewer.close();
  });

  it("answers malformed JSON-RPC with a parse error", async () => {
    const res = await SELF.fetch("http://voxops.test/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${VIEWER}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });
});
