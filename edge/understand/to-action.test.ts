import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import evalInventory from "./fixtures/eval-inventory.json" with { type: "json" };
import { nextStep } from "./to-action.ts";
import { createUnderstander } from "./understand.ts";

const parsed = parseInventory(evalInventory);
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const inventory = parsed.inventory;
const u = createUnderstander(inventory);
const step = (text: string) => nextStep(u.understand(text), inventory);

describe("the desk's next step", () => {
  it("runs a fully understood action on the named VMs", () => {
    expect(step("перезапусти grok-voice")).toEqual({
      kind: "action",
      action: "restart",
      args: { service: "grok-voice" },
      vms: ["vm1"],
    });
    expect(step("логи nginx 20 строк")).toEqual({
      kind: "action",
      action: "logs",
      args: { service: "nginx", lines: 20 },
      vms: ["vm1", "vm2"],
    });
    expect(step("reboot both machines")).toEqual({
      kind: "action",
      action: "reboot",
      args: { mode: "soft" },
      vms: ["vm1", "vm2"],
    });
  });
  it("asks when a target is missing", () => {
    expect(step("restart nginx")).toEqual({
      kind: "ask",
      intent: "restart",
      missing: ["vm"],
      candidates: { vm: ["vm1", "vm2"] },
    });
    expect(step("перезагрузи сервер")).toMatchObject({ kind: "ask", intent: "reboot", missing: ["vm"] });
  });
  it("hands code, config details and free-form questions to the LLM", () => {
    expect(step("обнови конфиг nginx на хабе")).toEqual({ kind: "llm", proposable: ["config"] });
    expect(step("напиши скрипт для очистки логов")).toEqual({ kind: "llm", proposable: [] });
    expect(step("what's the capital of France?")).toEqual({ kind: "llm", proposable: [] });
  });
  it("does nothing for negations and shell text", () => {
    expect(step("не перезагружай хаб")).toEqual({ kind: "nothing", reason: "negated" });
    expect(step("restart nginx; rm -rf /")).toEqual({ kind: "nothing", reason: "shell" });
  });
});
