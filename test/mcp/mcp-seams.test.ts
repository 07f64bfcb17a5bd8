/**
 * The seams the HTTPS API and the MCP server share: one target resolution (a VM or service named by an
 * alias reaches the same VM through both), the MCP server's own sentences in both languages, and the
 * MCP tool list following the action definitions' `mcp` field. Both front ends run on the desk bench
 * (the real desk, gate, store and controller; stand-in sidecar links that record what they were sent),
 * the MCP server through the SDK's own client over its in-memory transport.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mountOperations } from "../../edge/api-routes.ts";
import { createApp } from "../../edge/app.ts";
import type { Role } from "../../edge/core/actors.ts";
import type { Lang } from "../../edge/core/desk.ts";
import { createMcpServer } from "../../edge/mcp/mcp-server.ts";
import { mcpText, mcpTextKinds } from "../../edge/mcp/mcp-texts.ts";
import { actionDefinitions } from "../../protocol/actions/catalog.ts";
import { benchInventory, createDeskBench, type DeskBench } from "../desk/desk-bench.ts";

const ADMIN = "seams-admin-token-00001";
const cyrillic = /[А-Яа-яЁё]/;

let b: DeskBench;
let app: ReturnType<typeof createApp>;
const clients: Client[] = [];
beforeEach(() => {
  b = createDeskBench();
  b.connect("vm1");
  b.connect("vm2");
  app = createApp({
    controller: b.controller,
    apiTokens: new Map<string, Role>([[ADMIN, "admin"]]),
    skipConfirm: new Set([ADMIN]),
    extend: (a) => mountOperations(a, { controller: b.controller, desk: b.desk, inventory: benchInventory }),
  });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  b.close();
});

/** An MCP client connected to a server for an admin who may skip confirmations, in `lang`. */
async function mcp(lang: Lang = "en", role: Role = "admin"): Promise<Client> {
  const server = createMcpServer(
    {
      controller: b.controller,
      desk: b.desk,
      inventory: benchInventory,
      now: () => b.clock.now(),
      version: "test",
    },
    { actor: { kind: "mcp", id: `token:seams-${role}`, role }, skipConfirm: true, lang },
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "seams-test", version: "1" });
  await client.connect(clientSide);
  clients.push(client);
  return client;
}

const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const tool = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;

async function api(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe("one target resolution for the API and MCP", () => {
  // Each request names a VM or a service by an alias (any case); both front ends must reach the same VM.
  const requests: { name: string; action: string; vm?: string; args: Record<string, unknown>; to: string }[] =
    [
      { name: "a VM alias", action: "status", vm: "main", args: {}, to: "vm1" },
      { name: "a VM alias in capitals", action: "status", vm: "HUB", args: {}, to: "vm2" },
      { name: "a Russian VM alias", action: "status", vm: "вторая", args: {}, to: "vm2" },
      { name: "a VM name in capitals", action: "status", vm: "VM1", args: {}, to: "vm1" },
      { name: "a service alias", action: "restart", args: { service: "voice" }, to: "vm1" },
      { name: "a service on one VM", action: "restart", args: { service: "billing-api" }, to: "vm2" },
    ];
  for (const r of requests)
    it(`${r.name} reaches the same VM with the same arguments`, async () => {
      const viaApi = await api("/agent/commands", {
        action: r.action,
        args: r.args,
        ...(r.vm ? { vm: r.vm } : {}),
      });
      expect(viaApi.status, JSON.stringify(viaApi.body)).toBe(200);
      const fromApi = b.sent.splice(0);
      const viaMcp = await tool(await mcp(), r.action, { ...r.args, ...(r.vm ? { vm: r.vm } : {}) });
      expect(viaMcp.isError, textOf(viaMcp)).toBeFalsy();
      const fromMcp = b.sent.splice(0);
      expect(fromApi.map((s) => s.vm)).toEqual([r.to]);
      expect(fromMcp).toEqual(fromApi);
    });

  it("refuses a service on two VMs without a vm in the same words through both", async () => {
    for (const lang of ["en", "ru"] as const) {
      const viaApi = await api("/agent/service/restart", { service: "nginx", lang });
      expect(viaApi.status).toBe(422);
      const viaMcp = await tool(await mcp(), "restart", { service: "nginx", lang });
      expect(viaMcp.isError).toBe(true);
      expect(textOf(viaMcp)).toBe(viaApi.body.message);
      expect(viaApi.body.message).toMatch(
        lang === "ru" ? cyrillic : /^The service nginx runs on vm1 and vm2/,
      );
    }
    expect(b.sent).toEqual([]);
  });
});

describe("the MCP server's own sentences", () => {
  it("has every sentence in both languages, whole and in its language", () => {
    const vars = {
      name: "x",
      id: "c1",
      uri: "voxops://x",
      vm: "vm9",
      known: "vm1",
      url: "http://c",
      error: "e",
    };
    for (const kind of mcpTextKinds) {
      const ru = mcpText(kind, "ru", vars);
      const en = mcpText(kind, "en", vars);
      expect(ru, kind).toMatch(cyrillic);
      expect(en, kind).not.toMatch(cyrillic);
      for (const text of [ru, en]) {
        expect(text, kind).toMatch(/^(["«][^"»]+["»]|[A-ZА-ЯЁ]).*[.!?]$/s);
        expect(text, kind).not.toMatch(/\{\w+\}/);
      }
    }
  });

  // Each refusal the server words itself, through a real client, in the call's or the session's language.
  const refusals: { name: string; call: (c: Client, lang: Lang) => Promise<string> }[] = [
    { name: "ask without text", call: async (c, lang) => textOf(await tool(c, "ask", { text: " ", lang })) },
    { name: "confirm without an id", call: async (c, lang) => textOf(await tool(c, "confirm", { lang })) },
    { name: "an unknown tool", call: async (c, lang) => textOf(await tool(c, "format-disk", { lang })) },
    {
      name: "an unknown service",
      call: async (c, lang) => textOf(await tool(c, "restart", { service: "ghost", lang })),
    },
    {
      name: "an unknown resource",
      call: async (c) =>
        c.readResource({ uri: "voxops://nowhere" }).then(
          () => "",
          (e: Error) => e.message,
        ),
    },
    {
      name: "the status of an unknown VM",
      call: async (c) =>
        c.readResource({ uri: "voxops://vm/vm9/status" }).then(
          () => "",
          (e: Error) => e.message,
        ),
    },
  ];
  for (const r of refusals)
    for (const lang of ["en", "ru"] as const)
      it(`${r.name} (${lang})`, async () => {
        const text = await r.call(await mcp(lang), lang);
        expect(text).not.toBe("");
        if (lang === "ru") expect(text).toMatch(cyrillic);
        else expect(text).not.toMatch(cyrillic);
      });

  it("a tool call's lang overrides the session's, and English is the default", async () => {
    const ru = await mcp("ru");
    expect(textOf(await tool(ru, "confirm", { lang: "en" }))).toBe(mcpText("no-id", "en"));
    expect(textOf(await tool(ru, "confirm", {}))).toBe(mcpText("no-id", "ru"));
    expect(textOf(await tool(await mcp(), "confirm", {}))).toBe(mcpText("no-id", "en"));
  });

  it("answers the audit resource to a viewer in the session's language", async () => {
    const refused = await (await mcp("ru", "viewer")).readResource({ uri: "voxops://audit" }).then(
      () => "",
      (e: Error) => e.message,
    );
    expect(refused).toContain(mcpText("needs-admin", "ru"));
  });
});

describe("the MCP tool list", () => {
  it("offers exactly the actions whose definition does not mark them internal, plus ask and confirm", async () => {
    const { tools } = await (await mcp()).listTools();
    const offered = Object.values(actionDefinitions)
      .filter((d) => d.mcp !== "internal")
      .map((d) => d.name);
    expect(tools.map((t) => t.name).sort()).toEqual([...offered, "ask", "confirm"].sort());
    expect(offered).not.toContain("probe");
  });
});
