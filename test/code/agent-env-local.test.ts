/**
 * The coding agent's secrets without the root helper (the local run, a sidecar as a real child
 * process): exactly the variables the engine's `agentEnv` names pass from the sidecar's environment
 * to the agent (the scripted stand-in requires its key and prints its environment's names), it gets
 * a private writable HOME removed after, and the key's value reaches nothing else: not the proposal,
 * the diff, the audit or the controller's database. A missing value is refused in both languages,
 * naming the variable and where it is read from; a change holding the value is refused.
 */

import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type World } from "../e2e/world.ts";
import { repo } from "../support/child.ts";
import { cyrillicLines, latinOnlySentences } from "../support/latin-only-sentences.ts";

const KEY_NAME = "STAND_IN_AGENT_KEY";
const KEY = `sk-stand-in-${randomBytes(12).toString("hex")}`;
const agentStandIn = join(repo, "test/real-vm/fixtures/owner-agent.cjs");
const appJs = readFileSync(join(repo, "test/fixtures/code/node-api/app.js"), "utf8");
const langs = ["ru", "en"] as const;

let world: World;
let root: string;

function inOneLanguage(text: string, lang: "ru" | "en"): void {
  if (lang === "ru") {
    expect(latinOnlySentences(text, ["vm1"]), text).toEqual([]);
    expect(text).toMatch(/[А-Яа-яЁё]/);
  } else expect(cyrillicLines(text), text).toEqual([]);
}

async function ask(service: string, text: string, lang: "ru" | "en") {
  const r = await world.api("/agent/code", { method: "POST", body: { service, text, lang } });
  const b = r.body as Record<string, unknown>;
  return { body: b, status: String(b["status"]), text: String(b["message"] ?? b["summary"] ?? "") };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "voxops-agent-env-"));
  writeFileSync(join(root, "app.js"), appJs);
  const g = ["-C", root, "-c", "user.name=dev", "-c", "user.email=dev@example.invalid"];
  execFileSync("git", ["init", "-q", "-b", "main", root]);
  execFileSync("git", [...g, "add", "-A"]);
  execFileSync("git", [...g, "commit", "-q", "-m", "fixture"]);
  // The operator's environment holds the key; the world's sidecar inherits it like the local run's.
  process.env[KEY_NAME] = KEY;
  const agent = (name: string, needs: string, agentEnv: string[]) => ({
    name,
    code: {
      root,
      engine: {
        agent: [process.execPath, agentStandIn, "--needs", needs, "{request}"],
        timeoutS: 30,
        agentEnv,
      },
    },
  });
  world = await startWorld(
    {},
    {
      inventory: () => ({
        vms: {
          vm1: {
            role: "main",
            services: [
              agent("keyed", KEY_NAME, [KEY_NAME]),
              agent("unkeyed", "ABSENT_AGENT_KEY", ["ABSENT_AGENT_KEY"]),
              agent("undeclared", KEY_NAME, []),
            ],
          },
        },
      }),
    },
  );
}, 60_000);

afterAll(async () => {
  delete process.env[KEY_NAME];
  await world?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("the coding agent's secrets in the local run", () => {
  it("the named key reaches the agent, with a private HOME; its value reaches nothing else", async () => {
    const r = await ask("keyed", "add an /agent endpoint", "en");
    expect(r.status, JSON.stringify(r.body)).toBe("pending-confirmation");
    const diff = String(r.body["diff"]);
    // The agent saw the key (its hash), the names of its environment, and a HOME of its own.
    expect(diff).toContain(`+${createHash("sha256").update(KEY).digest("hex")}`);
    const names = [...diff.matchAll(/^\+([A-Z_][A-Z0-9_]*)$/gm)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining([KEY_NAME, "HOME", "PATH"]));
    expect(
      names.filter((n) => n?.startsWith("VOXOPS") || (/KEY|TOKEN|SECRET/.test(n ?? "") && n !== KEY_NAME)),
    ).toEqual([]);
    const home = /^\+(\/.*\/home)$/m.exec(diff)?.[1] ?? "";
    expect(home).toMatch(/\/state-vm1\/worktrees\/keyed-[^/]+\/home$/);
    expect(existsSync(home), "the agent's HOME is removed after").toBe(false);
    expect(readdirSync(join(world.dir, "state-vm1", "worktrees"))).toEqual([]);
    expect(JSON.stringify(r.body)).not.toContain(KEY);
    // Nothing of it in the audit, nor anywhere in the controller's database files.
    const audit = await world.api("/agent/audit?limit=200");
    expect(JSON.stringify(audit.body)).toContain("code-agent");
    expect(JSON.stringify(audit.body)).not.toContain(KEY);
    for (const f of readdirSync(world.dir).filter((n) => n.startsWith("controller.db")))
      expect(readFileSync(join(world.dir, f)).includes(KEY), f).toBe(false);
  }, 60_000);

  it.each(langs)(
    "a declared variable without a value is refused, naming it and its source (%s)",
    async (lang) => {
      const r = await ask("unkeyed", "add an /agent endpoint", lang);
      expect(["no-change", "refused"]).toContain(r.status);
      expect(r.text).toContain("ABSENT_AGENT_KEY");
      expect(r.text).toContain(lang === "ru" ? "окружении сайдкара" : "the sidecar's environment");
      inOneLanguage(r.text, lang);
    },
  );

  it("a variable the engine does not name never reaches the agent, even when the sidecar has it", async () => {
    const r = await ask("undeclared", "add an /agent endpoint", "en");
    expect(r.status).not.toBe("pending-confirmation");
    expect(r.text).toContain(`${KEY_NAME} is not set`);
    expect(r.text).not.toContain(KEY);
  });

  it.each(langs)(
    "a change that holds the key's value is refused, and the value is not shown (%s)",
    async (lang) => {
      const r = await ask("keyed", "leak the key", lang);
      expect(["no-change", "refused"]).toContain(r.status);
      expect(r.text).toContain(KEY_NAME);
      expect(r.text).toContain("app.js");
      expect(JSON.stringify(r.body)).not.toContain(KEY);
      inOneLanguage(r.text, lang);
    },
  );
});
