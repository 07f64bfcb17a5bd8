/**
 * The fleet as MCP resources: the inventory, the recent audit (admin only, as on the HTTPS API) and
 * each VM's status as the controller last saw it.
 */
import type { ReadResourceResult, Resource, ResourceTemplate } from "@modelcontextprotocol/sdk/types.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Inventory } from "../../protocol/inventory.ts";
import { type Actor, roleAtLeast } from "../core/actors.ts";
import { vmByNameOrAlias } from "../core/api-targets.ts";
import type { Controller } from "../core/controller.ts";
import type { Lang } from "../core/desk.ts";
import { mcpText } from "./mcp-texts.ts";

/** The resource addresses. */
export const resourceUris = {
  inventory: "voxops://inventory",
  audit: "voxops://audit",
  vmStatus: (vm: string) => `voxops://vm/${vm}/status`,
} as const;

/** JSON-RPC's "invalid params": the resource does not exist or may not be read. */
const INVALID_PARAMS = -32602;

/** The fixed resources and one status resource per VM. */
export function listResources(inventory: Inventory): Resource[] {
  return [
    {
      uri: resourceUris.inventory,
      name: "inventory",
      title: "Inventory",
      description: "The VMs, their roles, aliases and services.",
      mimeType: "application/json",
    },
    {
      uri: resourceUris.audit,
      name: "audit",
      title: "Recent audit",
      description: "The last 50 audit records: who asked for what, where, and how it ended (admin role).",
      mimeType: "application/json",
    },
    ...inventory.vms.map((v) => ({
      uri: resourceUris.vmStatus(v.name),
      name: `${v.name}-status`,
      title: `${v.name} status`,
      description: `Connection, last heartbeat, figures and failed units of ${v.name} (${v.role}).`,
      mimeType: "application/json",
    })),
  ];
}

/** The VM status template, for clients that build addresses. */
export function listResourceTemplates(): ResourceTemplate[] {
  return [
    {
      uriTemplate: "voxops://vm/{vm}/status",
      name: "vm-status",
      title: "VM status",
      description: "Connection, last heartbeat, figures and failed units of one VM.",
      mimeType: "application/json",
    },
  ];
}

const json = (uri: string, value: unknown): ReadResourceResult => ({
  contents: [{ uri, mimeType: "application/json", text: JSON.stringify(value, null, 2) }],
});

/** Reads a resource for `actor`; an unknown address or a missing role is an error in words, in `lang`. */
export function readResource(
  deps: { readonly controller: Controller; readonly inventory: Inventory },
  actor: Actor,
  uri: string,
  lang: Lang = "en",
): ReadResourceResult {
  const { controller, inventory } = deps;
  if (uri === resourceUris.inventory)
    return json(uri, {
      vms: inventory.vms.map((v) => ({
        name: v.name,
        role: v.role,
        aliases: v.aliases,
        services: v.services.map((s) => s.name),
      })),
    });
  if (uri === resourceUris.audit) {
    if (!roleAtLeast(actor.role, "admin")) throw new McpError(INVALID_PARAMS, mcpText("needs-admin", lang));
    return json(uri, { records: controller.audit.recent(50) });
  }
  const asked = /^voxops:\/\/vm\/([^/]+)\/status$/.exec(uri)?.[1];
  // A VM may be named by an alias, as in the tools.
  const vm = asked === undefined ? undefined : (vmByNameOrAlias(inventory, asked) ?? asked);
  const state = vm === undefined ? undefined : controller.fleet().find((v) => v.vm === vm);
  if (state) return json(uri, state);
  throw new McpError(
    INVALID_PARAMS,
    vm === undefined
      ? mcpText("no-resource", lang, { uri })
      : mcpText("no-vm", lang, { vm: vm.slice(0, 40), known: inventory.vms.map((v) => v.name).join(", ") }),
  );
}
