import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import evalInventory from "./fixtures/eval-inventory.json" with { type: "json" };
import { normalize } from "./normalize.ts";
import { undoSpokenForms } from "./spoken-forms.ts";
import { createUnderstander } from "./understand.ts";
import { asksBack } from "./understanding.ts";

const parsed = parseInventory(evalInventory);
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const u = createUnderstander(parsed.inventory);

describe("abstaining before misfiring", () => {
  it("names both readings when a restart comes with a configuration change", () => {
    const r = u.understand("перезапусти postgresql и поменяй ему конфиг");
    expect(r.intent).toBe("unknown");
    expect(r.reason).toBe("unexplained");
    expect(r.competing).toEqual(["restart", "config"]);
    expect(r.needsLlm).toBe(true);
    expect(asksBack(r)).toBe(true);
  });
  it.each([
    "restart admin api with more memory",
    "reboot the hub unless postgres is busy",
    "restart, no wait, reboot the main box",
    "перезапусти nginx и почисти кеш",
    "deploy billing api and bump its timeout",
  ])("abstains on %s", (text) => {
    const r = u.understand(text);
    expect(r.intent).toBe("unknown");
    expect(asksBack(r)).toBe(true);
  });
  it("fires a clear command at once, and calls it a full match", () => {
    const r = u.understand("перезапусти admin-api");
    expect(r).toMatchObject({ intent: "restart", args: { service: "admin-api", vm: "vm1" }, complete: true });
    expect(asksBack(r)).toBe(false);
  });
  it("marks a command with words it did not need as a partial match", () => {
    const r = u.understand("перезапусти admin-api бегом");
    expect(r).toMatchObject({ intent: "restart", args: { service: "admin-api" }, complete: false });
  });
  it("never gives a VM to a service the inventory does not have", () => {
    expect(u.understand("fix kafka on both machines").args).toEqual({ service: null, vm: null });
  });
  it("reads config context over the verb inside it", () => {
    expect(u.understand("в конфиге nginx подними worker_connections до 4096 на хабе")).toMatchObject({
      intent: "config",
      args: { service: "nginx", vm: "vm2" },
    });
  });
  it("reads split phrasal verbs as units", () => {
    expect(u.understand("bring the billing api back up").intent).toBe("restart");
    expect(u.understand("back the main box up").intent).toBe("backup");
  });
});

describe("command words that only name what to read", () => {
  it.each([
    ["подними логи nginx на хабе", "logs", { service: "nginx", vm: "vm2" }],
    ["bring up the logs for admin api", "logs", { service: "admin-api", vm: "vm1" }],
    ["покажи логи деплоя биллинга", "logs", { service: "billing-api", vm: "vm2" }],
    ["show me the restart logs of nginx on vm1", "logs", { service: "nginx", vm: "vm1" }],
    ["the admin api went down, bring it back up", "restart", { service: "admin-api", vm: "vm1" }],
  ])("%s → %s", (text, intent, args) => {
    expect(u.understand(text)).toMatchObject({ intent, args });
  });
});

describe("spoken forms", () => {
  const words = (text: string) => undoSpokenForms(normalize(text).tokens).map((t) => t.text);
  it("joins spelled letters, said apart, hyphenated, dotted or run together", () => {
    expect(words("эм си пи хаба")).toEqual(["mcp", "хаба"]);
    expect(words("эм-си-пи хаб")).toEqual(["mcp", "хаб"]);
    expect(words("M.C.P. hub")).toEqual(["mcp", "hub"]);
    expect(words("эмсипи хаб")).toEqual(["mcp", "хаб"]);
  });
  it("drops fillers but keeps articles and one-letter words", () => {
    expect(words("ну короче слушай а хаб вообще живой")).toEqual(["хаб", "живой"]);
    expect(words("so give me a status report")).toEqual(["give", "me", "a", "status", "report"]);
  });
});
