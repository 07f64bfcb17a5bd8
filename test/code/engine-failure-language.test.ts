/**
 * Every way a code engine can come back without a change, told to a Russian operator in Russian and to
 * an English one in English: the built-in engine over the Anthropic stand-in (step budget, no proposal,
 * a change that changes nothing, a file or a change over the limits, the LLM failing) and the external
 * coding agent run by a real sidecar process in a real git worktree (non-zero exit, timeout, empty diff,
 * refused paths left out, a missing program, no git repository). No systemd is needed: nothing is applied.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../e2e/world.ts";
import { anthropicReply, startAnthropicStandIn } from "../llm/anthropic-stand-in.ts";
import type { StandIn } from "../llm/stand-in-server.ts";
import { repo } from "../support/child.ts";
import { cyrillicLines, latinOnlySentences } from "../support/latin-only-sentences.ts";

const LLM_KEY = "sk-ant-stand-in-language-key";
const appJs = readFileSync(join(repo, "test", "fixtures", "code", "node-api", "app.js"), "utf8");
const langs = ["ru", "en"] as const;
/** The fleet's own words, which may stand alone in a Russian sentence. */
const names = ["api", "vm1", "main"];

let world: World;
let llm: StandIn;
let roots: string;

/** Checks that `text` reads in `lang` only, quoted evidence aside. */
function inOneLanguage(text: string, lang: "ru" | "en"): void {
  expect(text.trim(), "an empty reply").not.toBe("");
  if (lang === "ru") {
    expect(latinOnlySentences(text, names), text).toEqual([]);
    expect(text).toMatch(/[А-Яа-яЁё]/);
  } else expect(cyrillicLines(text), text).toEqual([]);
}

/** Asks for a code change over the API; the answer's status and the text the operator reads. */
async function ask(service: string, text: string, lang: "ru" | "en") {
  const r = await world.api("/agent/code", { method: "POST", body: { service, text, lang } });
  const b = r.body as { status: string; message?: string; summary?: string; readBack?: string };
  return { status: b.status, text: b.message ?? `${b.readBack ?? ""}\n${b.summary ?? ""}` };
}

beforeAll(async () => {
  roots = mkdtempSync(join(tmpdir(), "voxops-engine-language-"));
  const gitRepo = join(roots, "agent");
  const plain = join(roots, "plain");
  for (const dir of [gitRepo, plain]) {
    mkdirSync(dir);
    writeFileSync(join(dir, "app.js"), appJs);
  }
  const g = ["-C", gitRepo, "-c", "user.name=dev", "-c", "user.email=dev@example.invalid"];
  execFileSync("git", ["init", "-q", "-b", "main", gitRepo]);
  execFileSync("git", [...g, "add", "-A"]);
  execFileSync("git", [...g, "commit", "-q", "-m", "fixture"]);
  const agent = (name: string, argv: string[], extra: Record<string, unknown> = {}) => ({
    name,
    code: { root: gitRepo, engine: { agent: argv, timeoutS: 10 }, ...extra },
  });
  llm = await startAnthropicStandIn(LLM_KEY);
  world = await startWorld(
    {
      LLM_PROVIDER: "anthropic",
      LLM_API_KEY: LLM_KEY,
      LLM_BASE_URL: llm.url,
      LLM_MODEL: "claude-stand-in",
      LLM_TIMEOUT_MS: "5000",
    },
    {
      inventory: () => ({
        vms: {
          vm1: {
            role: "main",
            services: [
              { name: "api", code: { root: plain, maxFileBytes: 2000, maxLines: 30 } },
              agent("agent-exit", ["/bin/sh", "-c", "echo the agent broke >&2; exit 3"]),
              agent("agent-slow", ["/bin/sleep", "60"]),
              agent("agent-idle", ["/bin/true"]),
              agent("agent-secrets", [
                "/bin/sh",
                "-c",
                "echo LEAK=1 > .env && echo 'exports.extra = 1;' >> app.js && echo Added an export.",
              ]),
              agent("agent-missing", ["/nonexistent/coding-agent", "{request}"]),
              { name: "agent-norepo", code: { root: plain, engine: { agent: ["/bin/true"], timeoutS: 10 } } },
            ],
          },
        },
      }),
    },
  );
}, 60_000);

afterAll(async () => {
  await world?.close();
  await llm?.close();
  if (roots) rmSync(roots, { recursive: true, force: true });
});

describe("the built-in engine's failures read in the operator's language", () => {
  it.each(langs)("step budget exhausted (%s)", async (lang) => {
    const look = anthropicReply("", [{ id: "l", name: "list_files", input: {} }]);
    llm.script(look, look, look, look, look, look, look, look);
    const r = await ask("api", "add a /health endpoint", lang);
    expect(r.status).toBe("no-change");
    expect(r.text).toContain("8");
    inOneLanguage(r.text, lang);
    expect(llm.received.flatMap((q) => q.problems)).toEqual([]);
  });

  it.each(langs)("the model proposes nothing; its words are quoted (%s)", async (lang) => {
    llm.script(anthropicReply("I need to know which port the service uses."));
    const r = await ask("api", "add a /health endpoint", lang);
    expect(r.status).toBe("no-change");
    expect(r.text).toContain("I need to know which port the service uses.");
    inOneLanguage(r.text, lang);
  });

  it.each([
    ["a change that changes nothing", [{ path: "app.js", content: appJs }], "no-change-diff"],
    ["a file over the size limit", [{ path: "big.js", content: "//".repeat(1500) }], "2000"],
    ["a change over the line limit", [{ path: "many.js", content: "x;\n".repeat(40) }], "30"],
  ] as const)("a bad proposal: %s", async (_what, files, fact) => {
    for (const lang of langs) {
      llm.script(
        anthropicReply("", [
          {
            id: "p",
            name: "propose_change",
            input: { summary: lang === "ru" ? "Правка." : "A fix.", files },
          },
        ]),
      );
      const r = await ask("api", "change it", lang);
      expect(r.status).toBe("refused");
      if (fact !== "no-change-diff") expect(r.text).toContain(fact);
      inOneLanguage(r.text, lang);
    }
  });

  it.each(langs)("the LLM fails (%s)", async (lang) => {
    llm.script({
      status: 400,
      json: { type: "error", error: { type: "invalid_request_error", message: "bad model" } },
    });
    const r = await ask("api", "add a /health endpoint", lang);
    expect(r.status).toBe("no-change");
    expect(r.text).toContain("400");
    inOneLanguage(r.text, lang);
  });
});

describe("the external coding agent's failures read in the operator's language", () => {
  it.each([
    ["agent-exit", "a non-zero exit, with its last lines", "3"],
    ["agent-idle", "an empty diff", ""],
    ["agent-missing", "a program that is not installed", "/nonexistent/coding-agent"],
    ["agent-norepo", "a source root that is not a git checkout", "plain"],
  ])("%s: %s", async (service, _what, fact) => {
    for (const lang of langs) {
      const r = await ask(service, "add a /health endpoint", lang);
      expect(["no-change", "refused"]).toContain(r.status);
      expect(r.text).toContain(fact);
      inOneLanguage(r.text, lang);
    }
  });

  it("the exit's last lines are quoted as the agent's own words", async () => {
    const r = await ask("agent-exit", "add a /health endpoint", "ru");
    expect(r.text).toContain("\n  the agent broke");
  });

  it("a timeout: the agent is stopped at its deadline", async () => {
    const [ru, en] = await Promise.all(
      langs.map((lang) => ask("agent-slow", "add a /health endpoint", lang)),
    );
    for (const [r, lang] of [
      [ru, "ru"],
      [en, "en"],
    ] as const) {
      expect(r?.status).toBe("no-change");
      expect(r?.text).toContain("10");
      inOneLanguage(r?.text ?? "", lang);
    }
  }, 40_000);

  it.each(langs)("refused paths are left out, and said so (%s)", async (lang) => {
    const r = await ask("agent-secrets", "add an export", lang);
    expect(r.status).toBe("pending-confirmation");
    expect(r.text).toContain(".env");
    expect(r.text).not.toContain("LEAK=1");
    inOneLanguage(r.text, lang);
  });
});

describe("the LLM agent's replies read in the operator's language", () => {
  const questions = {
    ru: "почему api так тормозит со вчерашнего вечера?",
    en: "why has api felt so sluggish since yesterday evening?",
  } as const;

  it.each(langs)("a refused tool call is told, not hidden (%s)", async (lang) => {
    llm.script(
      anthropicReply("", [{ id: "x", name: "run_shell", input: { vm: "vm1", command: "reboot" } }]),
      anthropicReply(lang === "ru" ? "Не могу выполнить это." : "I cannot do that."),
    );
    const r = await world.api("/agent/ask", { method: "POST", body: { text: questions[lang], lang } });
    const text = String((r.body as { text?: string }).text ?? "");
    expect(text).toContain("run_shell");
    inOneLanguage(text, lang);
  });

  it.each(langs)("the LLM failing (%s)", async (lang) => {
    llm.script({
      status: 529,
      json: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
    });
    const r = await world.api("/agent/ask", { method: "POST", body: { text: questions[lang], lang } });
    const text = String((r.body as { text?: string }).text ?? "");
    expect(text).toContain("529");
    // What happened is our sentence in the operator's language; only the provider's words are quoted.
    expect(text).toMatch(
      lang === "ru"
        ? /Языковая модель \(anthropic\) ответила ошибкой 529: «/
        : /The language model \(anthropic\) answered with an error 529: "/,
    );
    inOneLanguage(text, lang);
  });
});

describe("the language check itself", () => {
  it("finds English sentences and phrases in Russian, and leaves quoted evidence and names alone", () => {
    expect(latinOnlySentences("Изменения нет: the model proposed no change.")).toHaveLength(1);
    expect(latinOnlySentences("✅ api работает. The check failed.")).toEqual(["The check failed."]);
    expect(latinOnlySentences("Left out: a.js (not a path voxops writes).")).toHaveLength(1);
    expect(latinOnlySentences("Модель ответила: «I need the port».\n  raw log line")).toEqual([]);
    expect(latinOnlySentences("Проверки пройдены: node test.js.")).toEqual([]);
    expect(latinOnlySentences("✅ api:\nактивен", ["api"])).toEqual([]);
    expect(cyrillicLines("api is running. Сервис работает.")).toHaveLength(1);
  });
});
