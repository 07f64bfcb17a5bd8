/** Every forbidden service name, file path and ref is refused, by the catalog and again by the handlers, and nothing runs. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAction } from "../../protocol/actions/catalog.ts";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createHarness, type Harness, inventory, refusal } from "./harness.ts";

let h: Harness;
afterEach(() => h?.cleanup());

const badNames = [
  "nginx; reboot",
  "web && rm -rf /",
  "$(reboot)",
  "`id`",
  "web|cat",
  "../etc",
  "a..b",
  "web service",
  "Web",
  "-web",
  "web\nreboot",
  "",
  "x".repeat(65),
];

describe("refusals", () => {
  it("the catalog refuses malformed service names for every action that takes one", () => {
    for (const action of ["status", "logs", "errors", "restart", "config", "deploy"])
      for (const service of badNames) {
        const r = parseAction(action, { service });
        expect({ action, service, ok: r.ok }).toEqual({ action, service, ok: false });
      }
  });

  it("the handlers refuse malformed and unknown names even when called without the catalog, and start nothing", async () => {
    h = createHarness();
    h.unit("web", "/bin/true");
    const inv = inventory({
      vms: {
        vm1: { services: [{ name: "web", configs: [{ path: "/etc/web/app.json", format: "json" }] }] },
        vm2: { services: ["db"] },
      },
    });
    const handlers = createHandlers(h.adapters);
    const ctx = h.ctx(inv);
    for (const action of ["status", "logs", "errors", "restart", "config", "deploy"] as const) {
      for (const service of badNames) {
        const err = await refusal(handlers[action]?.({ service, content: "{}" }, ctx));
        expect({ action, service, code: err.code }).toEqual({ action, service, code: "forbidden-name" });
      }
      for (const service of ["nginx", "db"]) {
        const err = await refusal(handlers[action]?.({ service, content: "{}" }, ctx));
        expect({ action, service, code: err.code }).toEqual({ action, service, code: "unknown-service" });
        expect(err.message).toMatch(/not a service of vm1 in the inventory \(known: web\)/);
      }
    }
    const stateDir = join(h.standinDir, "state");
    expect(existsSync(stateDir) ? readdirSync(stateDir) : []).toEqual([]);
  });

  it("config refuses files that are not the service's configured files", async () => {
    h = createHarness();
    const inv = inventory({
      vms: { vm1: { services: [{ name: "web", configs: [{ path: "/etc/web/app.json", format: "json" }] }] } },
    });
    const handlers = createHandlers(h.adapters);
    const cases: [unknown, string][] = [
      ["../../etc/shadow", "forbidden-path"],
      ["/etc/passwd", "forbidden-path"],
      ["app.json;reboot", "forbidden-path"],
      ["web/../app.json", "forbidden-path"],
      ["shadow", "unknown-config"],
      ["other/app.json", "unknown-config"],
    ];
    for (const [file, code] of cases) {
      expect(parseAction("config", { service: "web", file, content: "{}" }).ok).toBe(
        code === "unknown-config",
      );
      const err = await refusal(handlers.config?.({ service: "web", file, content: "{}" }, h.ctx(inv)));
      expect({ file, code: err.code }).toEqual({ file, code });
    }
    const both = await refusal(handlers.config?.({ service: "web", content: "{}", patch: [] }, h.ctx(inv)));
    expect(both.code).toBe("invalid-args");
  });

  it("a VM the inventory does not know is refused", async () => {
    h = createHarness();
    const inv = inventory({ vms: { vm1: { services: ["web"] } } });
    const err = await refusal(createHandlers(h.adapters).restart?.({ service: "web" }, h.ctx(inv, "vm9")));
    expect(err.code).toBe("unknown-vm");
  });
});
