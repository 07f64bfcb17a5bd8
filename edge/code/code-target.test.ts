/** Finding the service of a code request: only services with source, by name or alias, never guessed. */
import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import { findCodeTarget } from "./code-target.ts";

const parsed = parseInventory({
  vms: {
    vm1: {
      services: [
        { name: "api", aliases: ["апи"], code: { root: "/srv/api" } },
        { name: "agent-api", code: { root: "/srv/agent-api" } },
        "nginx",
      ],
    },
    vm2: { services: [{ name: "worker", code: { root: "/srv/worker" } }] },
    vm3: { services: [{ name: "worker", code: { root: "/srv/worker" } }] },
  },
});
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const inv = parsed.inventory;

describe("findCodeTarget", () => {
  it("finds a service by whole name or alias, not inside another name", () => {
    expect(findCodeTarget(inv, { text: "Добавь endpoint /health в api", lang: "ru" })).toMatchObject({
      vm: "vm1",
      spec: { name: "api" },
    });
    expect(findCodeTarget(inv, { text: "в апи логируй время ответа", lang: "ru" })).toMatchObject({
      spec: { name: "api" },
    });
    expect(findCodeTarget(inv, { text: "fix agent-api's 404 text", lang: "en" })).toMatchObject({
      spec: { name: "agent-api" },
    });
  });
  it("asks when the request names none, several, or a service that runs on several VMs", () => {
    expect(findCodeTarget(inv, { text: "add logging", lang: "en" })).toMatch(
      /^Which service should change\?/,
    );
    expect(findCodeTarget(inv, { text: "api and agent-api", lang: "en" })).toBe(
      "Which one: api or agent-api?",
    );
    expect(findCodeTarget(inv, { text: "worker", lang: "en" })).toBe(
      "worker runs on vm2 and vm3; on which VM?",
    );
    expect(findCodeTarget(inv, { text: "worker", lang: "en", vm: "vm3" })).toMatchObject({ vm: "vm3" });
  });
  it("says what to add when the named service has no source root", () => {
    expect(findCodeTarget(inv, { text: "x", lang: "en", service: "nginx" })).toContain('no "code" block');
  });
});
