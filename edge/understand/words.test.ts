import { describe, expect, it } from "vitest";
import { basesOf, inflects, stemOf } from "./morphology.ts";
import { normalize } from "./normalize.ts";
import { findNumbers } from "./numbers.ts";
import { soundKey, soundMatch } from "./phonetic.ts";

describe("morphology", () => {
  it("sees case forms of one word", () => {
    for (const w of ["первая", "первую", "первой", "первый"])
      expect(inflects(w, stemOf("первая"))).toBe(true);
    for (const w of ["машина", "машину", "машине"]) expect(inflects(w, stemOf("машина"))).toBe(true);
    for (const w of ["хаб", "хабе", "хабом"]) expect(inflects(w, stemOf("хаб"))).toBe(true);
  });
  it("does not take a longer word for a form", () => {
    expect(inflects("вторник", stemOf("вторая"))).toBe(false);
    expect(inflects("логирование", "лог")).toBe(false);
  });
  it("finds the base under a diminutive", () => {
    expect(basesOf("админку")).toContain("админ");
  });
});

describe("sound keys", () => {
  const same = (a: string, b: string) => soundMatch(soundKey(a), soundKey(b)) > 0;
  it("hears Latin names in Cyrillic", () => {
    expect(same("грок", "grok")).toBe(true);
    expect(same("войс", "voice")).toBe(true);
    expect(same("энджинкс", "nginx")).toBe(true);
    expect(same("нжинкс", "nginx")).toBe(true);
    expect(same("постгрес", "postgresql")).toBe(true);
  });
  it("does not hear common words as names", () => {
    expect(same("все", "voice")).toBe(false);
    expect(same("весь", "voice")).toBe(false);
    expect(same("на", "nginx")).toBe(false);
  });
});

describe("numbers", () => {
  const values = (text: string) => findNumbers(normalize(text).tokens.map((t) => t.text)).map((n) => n.value);
  it("reads digits and words in both languages", () => {
    expect(values("50 строк")).toEqual([50]);
    expect(values("пятьдесят строк")).toEqual([50]);
    expect(values("сто пятьдесят")).toEqual([150]);
    expect(values("two hundred and fifty lines")).toEqual([250]);
    expect(values("twenty-five")).toEqual([25]);
    expect(values("пятидесяти")).toEqual([50]);
  });
});

describe("normalisation", () => {
  it("turns shell characters into separators and flags them", () => {
    const n = normalize("restart nginx; rm -rf /");
    expect(n.shell).toBe(true);
    expect(n.tokens.map((t) => t.text)).toEqual(["restart", "nginx", "rm", "rf"]);
  });
  it("keeps hyphenated names as glued parts", () => {
    expect(normalize("Grok-Voice").tokens.map((t) => [t.text, t.glued])).toEqual([
      ["grok", false],
      ["voice", true],
    ]);
  });
});
