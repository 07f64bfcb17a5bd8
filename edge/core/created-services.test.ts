import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import { helpText } from "../core/desk-texts.ts";
import { migrate } from "../core/store.ts";
import { openSqliteStore } from "../node/sqlite-store.ts";
import { createUnderstander } from "../understand/understand.ts";
import { createCreatedServices } from "./created-services.ts";

const dir = mkdtempSync(join(tmpdir(), "voxops-created-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parsed = parseInventory({
  vms: { vm1: { services: ["api"], code: { newServices: { root: "/srv/new" } } }, vm2: { services: ["db"] } },
});
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const base = parsed.inventory;
const echo = {
  kind: "service" as const,
  name: "echo",
  unit: "voxops-made-echo.service",
  port: 9100,
  healthPath: "/",
  path: "/srv/new/echo",
  request: "создай сервис echo",
  createdAt: 1,
};

describe("the controller's record of created services", () => {
  it("adds a created service to the inventory and the understanding layer, and keeps it across a restart", () => {
    const file = join(dir, "controller.db");
    const store = openSqliteStore(file);
    migrate(store);
    const created = createCreatedServices(base, store);
    const words = created.understander(createUnderstander);
    expect(words.understand("перезапусти echo").args["service"] ?? null).toBeNull();
    created.record("vm1", echo);
    expect(created.inventory.service("vm1", "echo")).toMatchObject({
      unit: "voxops-made-echo.service",
      health: "http://127.0.0.1:9100/",
      backup: ["/srv/new/echo"],
    });
    expect(created.inventory.vmsWithService("echo")).toEqual(["vm1"]);
    expect(words.understand("перезапусти echo")).toMatchObject({
      intent: "restart",
      args: { service: "echo" },
    });
    store.close();

    // A new controller over the same database (a restart) knows it too.
    const again = openSqliteStore(file);
    migrate(again);
    const after = createCreatedServices(base, again);
    expect(after.inventory.vm("vm1")?.services.map((s) => s.name)).toEqual(["api", "echo"]);
    expect(after.understander(createUnderstander).understand("restart echo")).toMatchObject({
      intent: "restart",
      args: { service: "echo" },
    });
    after.forget("vm1", "echo");
    expect(after.inventory.service("vm1", "echo")).toBeUndefined();
    expect(createCreatedServices(base, again).list("vm1")).toEqual([]);
    again.close();
  });

  it("never shadows a declared service of the same name", () => {
    const store = openSqliteStore(join(dir, "shadow.db"));
    migrate(store);
    const created = createCreatedServices(base, store);
    created.record("vm1", { ...echo, name: "api" });
    expect(created.inventory.service("vm1", "api")?.unit).toBeUndefined();
    store.close();
  });

  it("help names the created services and says how to create, list and remove them", () => {
    const store = openSqliteStore(join(dir, "help.db"));
    migrate(store);
    const created = createCreatedServices(base, store);
    created.record("vm1", echo);
    const help = helpText("ru", created.inventory);
    expect(help).toContain("• vm1: api, echo");
    expect(help).toContain("«Что создал voxops?»");
    expect(helpText("en", created.inventory)).toContain('"What did voxops create?"');
    const plain = parseInventory({ vms: { vm1: { services: ["api"] } } });
    if (plain.ok) expect(helpText("en", plain.inventory)).not.toContain("voxops create");
    store.close();
  });
});
