import { describe, expect, it } from "vitest";
import { escapeHtml, fitText, inlineKeyboard, replyHtml } from "./html.ts";
import { detectLang, langFromCode, langFromName } from "./lang.ts";
import { spokenText } from "./voice-reply.ts";

describe("html", () => {
  it("escapes the three characters HTML mode reserves", () => {
    expect(escapeHtml("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
  });

  it("fits text without splitting a surrogate pair and marks the cut", () => {
    expect(fitText("abc", 3)).toBe("abc");
    expect(fitText("ab😀cd", 4)).toBe("ab…");
    expect(replyHtml("x".repeat(5000)).length).toBe(4096);
    expect(replyHtml("   ")).toBe("…");
  });

  it("builds an inline keyboard and drops buttons with bad data", () => {
    const dropped: string[] = [];
    const markup = inlineKeyboard(
      [
        [
          { label: "Yes", data: "cf:1:y" },
          { label: "Bad", data: "я".repeat(33) },
        ],
        [{ label: "", data: "x" }],
      ],
      (b) => dropped.push(b.label),
    );
    expect(markup).toEqual({ inline_keyboard: [[{ text: "Yes", callback_data: "cf:1:y" }]] });
    expect(dropped).toEqual(["Bad", ""]);
    expect(inlineKeyboard(undefined)).toBeUndefined();
  });
});

describe("lang", () => {
  it("reads the words first", () => {
    expect(detectLang("Перезапусти voice сервис")).toBe("ru");
    expect(detectLang("Добавь endpoint /health в admin-api")).toBe("ru");
    expect(detectLang("Restart grok-voice")).toBe("en");
    expect(detectLang("42")).toBeUndefined();
  });

  it("maps Telegram's language_code and providers' names", () => {
    expect(langFromCode("ru")).toBe("ru");
    expect(langFromCode("uk-UA")).toBe("ru");
    expect(langFromCode("de")).toBe("en");
    expect(langFromCode(undefined)).toBe("en");
    expect(langFromName("russian")).toBe("ru");
    expect(langFromName("fr")).toBeUndefined();
  });
});

describe("spokenText", () => {
  it("speaks the head of an answer without its symbols", () => {
    expect(spokenText("✅ grok-voice is active (2.1 s)\n\n• line")).toBe(
      "grok-voice is active (2.1 s)\nline",
    );
    expect(spokenText(`first\n${"x".repeat(500)}`)).toBe("first");
  });
});
