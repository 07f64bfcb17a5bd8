/** The words for the `files` action: "покажи файлы admin-api", "show me the files of grok-voice" list the service's root. */
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

describe("files", () => {
  it.each([
    ["покажи файлы admin-api", "admin-api"],
    ["какие файлы у grok-voice", "grok-voice"],
    ["show me the files of grok-voice", "grok-voice"],
    ["list the admin-api folder", "admin-api"],
  ])("%s lists the service's files", (text, service) => {
    expect(step(text)).toEqual({
      kind: "action",
      action: "files",
      args: { service, op: "list", fromLine: 1 },
      vms: ["vm1"],
    });
  });
  it("asks which service when none is named", () => {
    expect(u.understand("покажи файлы").intent).not.toBe("files");
  });
  it("a change to a file is not a listing", () => {
    expect(u.understand("удали файлы admin-api").intent).not.toBe("files");
  });
});
