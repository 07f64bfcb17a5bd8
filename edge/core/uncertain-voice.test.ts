import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import evalInventory from "../understand/fixtures/eval-inventory.json" with { type: "json" };
import { createUnderstander } from "../understand/understand.ts";
import type { Actor } from "./actors.ts";
import { clarifyingQuestion } from "./clarifying-question.ts";
import { uncertainVoice } from "./uncertain-voice.ts";

const parsed = parseInventory(evalInventory);
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const u = createUnderstander(parsed.inventory);
const actor: Actor = { kind: "telegram", id: "1", role: "admin" };
const said = (text: string, confidence?: number) => ({
  actor,
  text,
  spoken: confidence === undefined ? {} : { confidence },
});

describe("uncertain voice", () => {
  it("reads back a spoken change that is not a full match", () => {
    const text = "перезапусти admin-api бегом";
    expect(uncertainVoice(said(text), u.understand(text))).toBe(true);
  });
  it("runs a full match at once, unless the recogniser was unsure", () => {
    const text = "перезапусти admin-api";
    expect(uncertainVoice(said(text), u.understand(text))).toBe(false);
    expect(uncertainVoice(said(text, 0.95), u.understand(text))).toBe(false);
    expect(uncertainVoice(said(text, 0.3), u.understand(text))).toBe(true);
  });
  it("never holds back typed words or read-only requests", () => {
    const text = "перезапусти admin-api бегом";
    expect(uncertainVoice({ actor, text }, u.understand(text))).toBe(false);
    expect(
      uncertainVoice(said("покажи логи admin-api бегом", 0.1), u.understand("покажи логи admin-api бегом")),
    ).toBe(false);
  });
});

describe("the question back", () => {
  it("offers both readings in the operator's language", () => {
    expect(clarifyingQuestion(u.understand("restart postgres and change its config"), "en")).toBe(
      "Do you want to restart postgresql or change its configuration? Say one action; I will not guess.",
    );
  });
  it("asks about the one reading when the rest is a condition", () => {
    expect(clarifyingQuestion(u.understand("перезагрузи хаб, если постгрес не занят"), "ru")).toBe(
      "Вы хотите перезагрузить vm2? В запросе есть ещё условие или другое действие, и я не буду его угадывать: скажите одну команду без него.",
    );
  });
});
