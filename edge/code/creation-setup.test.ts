import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import { latinOnlySentences } from "../../test/support/latin-only-sentences.ts";
import type { CreatedServices } from "../core/created-services.ts";
import type { Lang } from "../core/desk.ts";
import type { OperatorDesk } from "../core/operator-desk.ts";
import { createCreatedCommands } from "./created-commands.ts";
import { createCreationDesk } from "./creation-desk.ts";
import { creationSetupText } from "./creation-setup.ts";
import { readCreatedCommand, readCreation } from "./creation-words.ts";

const parsed = parseInventory({ vms: { vm1: { services: ["nginx"] }, vm2: { services: [] } } });
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const inventory = parsed.inventory;
const actor = { kind: "api" as const, id: "t", role: "admin" as const };
/** Nothing may reach the VMs when creation is not set up. */
const noDesk = (): OperatorDesk =>
  new Proxy({} as OperatorDesk, {
    get: (_t, name) => () => {
      throw new Error(`the desk was asked (${String(name)}) for a request that must be answered without it`);
    },
  });
const nothingCreated = { list: () => [] } as unknown as CreatedServices;

/** A whole sentence (or several): a capital first, a full stop last, no internal names or JSON of ours alone. */
function expectWhole(text: string, lang: Lang): void {
  expect(text).toMatch(/^[A-ZА-ЯЁ].*\.$/s);
  expect(text).not.toMatch(/\bno VM\b|lets voxops create .* on no VM|^no \w+$|undefined/);
  if (lang === "ru") expect(latinOnlySentences(text)).toEqual([]);
  else expect(text).not.toMatch(/[А-Яа-яЁё]/);
  expect(text).toContain('"code": {"newServices"');
}

describe("creation that is not set up, in the operator's words", () => {
  const commands = createCreatedCommands({ inventory, desk: noDesk, created: nothingCreated });
  const creation = createCreationDesk({
    inventory,
    desk: noDesk,
    engine: undefined,
    created: nothingCreated,
  });

  it.each([
    ["what did voxops create", "en"],
    ["что создал voxops", "ru"],
  ] as const)("%s: says creation is not set up and how to set it up", async (text, lang) => {
    const cmd = readCreatedCommand(text);
    expect(cmd).not.toBeNull();
    const answer = await commands.command(actor, { lang }, cmd!);
    expect(answer.kind).toBe("not-configured");
    if (answer.kind !== "not-configured") return;
    expectWhole(answer.message, lang);
    expect(answer.message).toMatch(lang === "ru" ? /не настроено/ : /is not set up/);
  });

  it.each([
    ["создай сервис echo на порту 9100", "ru"],
    ["create a service echo on port 9100", "en"],
    ["напиши скрипт, который удаляет логи старше 7 дней", "ru"],
    ["write a script that deletes logs older than 7 days", "en"],
  ] as const)("%s: says creation is not set up and how to set it up", async (text, lang) => {
    const words = readCreation(text);
    expect(words).not.toBeNull();
    const answer = await creation.ask(actor, { text, lang }, words!);
    expect(answer.kind).toBe("not-configured");
    if (answer.kind !== "not-configured") return;
    if (words?.kind === "script") expect(answer.message).toContain('"code": {"scripts"');
    else expectWhole(answer.message, lang);
    if (lang === "ru") expect(latinOnlySentences(answer.message)).toEqual([]);
  });

  it("names the VM and only the field that kind needs when one VM is named", () => {
    for (const lang of ["ru", "en"] as const)
      for (const kind of ["service", "script"] as const) {
        const text = creationSetupText(lang, kind, "vm2");
        expect(text).toContain("vm2");
        expect(text).toContain(kind === "service" ? '"newServices"' : '"scripts"');
        expect(text).not.toContain(kind === "service" ? '"scripts"' : '"newServices"');
        if (lang === "ru") expect(latinOnlySentences(text)).toEqual([]);
      }
  });
});
