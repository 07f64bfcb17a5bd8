/**
 * Deleting and renaming files in a code change, on real parts: the fixture service's real git
 * repository under a real systemd (the sandbox) and a real sidecar. The built-in engine (the
 * Anthropic stand-in) moves and deletes files, the external-agent stand-in does it in its worktree;
 * both diffs show git-style renames and deletions, apply and revert handle them, and both sides of
 * a rename meet the same refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicReply, messagesOf } from "../llm/anthropic-stand-in.ts";
import type { Received } from "../llm/stand-in-server.ts";
import { type CodeWorld, startCodeWorld } from "./code-world.ts";

const propose = (id: string, files: unknown[]) =>
  anthropicReply("", [{ id, name: "propose_change", input: { summary: "files moved", files } }]);

/** The text of the tool_result blocks of the last message the engine sent. */
const toolResult = (r: Received): string => JSON.stringify(messagesOf(r.body).at(-1)?.content ?? "");

describe("deleting and renaming files in a code change", () => {
  let w: CodeWorld;
  beforeAll(async () => {
    w = await startCodeWorld();
    // A symbolic link that stays inside the root (readable, so the engine can propose moving it).
    await w.sbx.exec(["ln", "-s", "app.js", "/srv/api/link.js"]);
    await w.git("add", "link.js");
    await w.git("commit", "-q", "-m", "a link");
  }, 180_000);
  afterAll(async () => {
    await w?.close();
  });

  it("built-in engine: app.js → routes.js with its callers, README.md deleted; applied, committed as a rename; Revert brings both back", async () => {
    const before = (await w.git("rev-parse", "HEAD")).trim();
    const require = (file: string) => ({
      path: file,
      edits: [{ find: 'require("./app.js")', replace: 'require("./routes.js")' }],
    });
    w.llm.script(
      propose("r1", [
        { path: "routes.js", renameFrom: "app.js" },
        require("server.js"),
        require("test.js"),
        { path: "README.md", delete: true },
      ]),
    );
    const ask = await w.api("/agent/code", {
      service: "api",
      text: "rename app.js to routes.js, drop the readme",
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.diff).toContain(
      "diff --git a/app.js b/routes.js\nrename from app.js\nrename to routes.js\n",
    );
    expect(ask.body.diff).toContain("diff --git a/README.md b/README.md\ndeleted file mode 100644\n");
    expect(ask.body.readBack).toBeDefined();
    expect(await w.git("status", "--porcelain")).toBe("");

    const applied = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(applied.status, applied.body.text).toBe(200);
    expect(applied.body.text).toContain("Deleted: README.md.");
    expect(applied.body.text).toContain("Renamed: app.js → routes.js.");
    expect(applied.body.text).toContain("node --check routes.js");
    expect(await w.get("/")).toEqual({ status: 200, body: "hello" });
    expect(await w.sbx.run(["test", "-e", "/srv/api/app.js"])).toMatchObject({ code: 1 });
    expect(await w.sbx.run(["test", "-e", "/srv/api/README.md"])).toMatchObject({ code: 1 });
    const changed = await w.git("show", "--name-status", "-M", "--format=", "HEAD");
    expect(changed).toMatch(/^R100\tapp\.js\troutes\.js$/m);
    expect(changed).toMatch(/^D\tREADME\.md$/m);
    expect(await w.git("status", "--porcelain")).toBe("");

    // The Revert button stays valid for a day: pressed 23 hours later, it still works.
    w.clock.advance(23 * 3_600_000);
    const reverted = await w.api(`/agent/code/apply/${applied.body.revertConfirmationId}`);
    expect(reverted.status, reverted.body.text).toBe(200);
    expect(reverted.body.text).toContain("Deleted: routes.js.");
    expect(await w.get("/")).toEqual({ status: 200, body: "hello" });
    expect(await w.git("diff", "--stat", before, "HEAD")).toBe("");
    expect(await w.sbx.readFile("/srv/api/README.md")).toContain("A small HTTP service.");
    expect(await w.git("status", "--porcelain")).toBe("");
  }, 120_000);

  it("a rename that fails the checks is rolled back: the old file is back, the new one gone", async () => {
    w.clock.advance(11 * 60_000);
    // server.js still requires ./app.js: the service's test (node test.js) fails on the move.
    w.llm.script(propose("r2", [{ path: "lib.js", renameFrom: "app.js" }]));
    const ask = await w.api("/agent/code", { service: "api", text: "rename app.js to lib.js" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(r.status).toBe(409);
    expect(r.body.text).toContain("node test.js failed");
    expect(r.body.text).toContain("Cannot find module './app.js'");
    expect(await w.git("status", "--porcelain")).toBe("");
    expect(await w.get("/")).toEqual({ status: 200, body: "hello" });
  }, 90_000);

  it("both sides of a rename are refused alike: from a symbolic link, into or from a secrets file, into .git, outside the root", async () => {
    w.clock.advance(11 * 60_000);
    const head = (await w.git("rev-parse", "HEAD")).trim();
    // From a link inside the root: the proposal reaches the operator, and the sidecar refuses it on Apply.
    w.llm.script(propose("s2", [{ path: "moved-link.js", renameFrom: "link.js" }]));
    const link = await w.api("/agent/code", { service: "api", text: "rename link.js" });
    expect(link.status, JSON.stringify(link.body)).toBe(202);
    const linkRefused = await w.api(`/agent/code/apply/${link.body.confirmationId}`);
    expect(linkRefused.status).toBe(409);
    expect(linkRefused.body.text).toContain(
      "link.js is a symbolic link; voxops does not delete or move links",
    );
    // Into a secrets file, into .git, outside the root, or from a secrets file: refused before any
    // proposal, and the model is told why.
    for (const [from, to, why] of [
      ["README.md", ".env", "secrets file"],
      ["app.js", ".git/hooks/pre-commit", ".git"],
      ["app.js", "../etc/x.js", "'..'"],
      [".env", "env.txt", "secrets file"],
    ] as const) {
      let told = "";
      w.llm.script(propose(`s-${to.length}`, [{ path: to, renameFrom: from }]), (r) => {
        told = toolResult(r);
        return anthropicReply("I cannot do that.", []);
      });
      const a = await w.api("/agent/code", { service: "api", text: `rename ${from} to ${to}` });
      expect(a.body.status, JSON.stringify(a.body)).toBe("no-change");
      expect(told).toContain("refused");
      expect(told).toContain(why);
    }
    expect(await w.git("status", "--porcelain")).toBe("");
    expect((await w.git("rev-parse", "HEAD")).trim()).toBe(head);
    expect(await w.sbx.readFile("/srv/api/README.md")).toContain("A small HTTP service.");
  }, 90_000);

  it("the external agent's move and deletion in its worktree become a git-style diff, applied through the same pipeline", async () => {
    w.clock.advance(11 * 60_000);
    const ask = await w.api("/agent/code", { service: "agent-api", text: "move the readme into docs" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.diff).toContain(
      "diff --git a/README.md b/docs/README.md\nrename from README.md\nrename to docs/README.md\n",
    );
    expect(ask.body.diff).toContain("diff --git a/package.json b/package.json\ndeleted file mode 100644\n");
    expect(ask.body.diff).not.toContain(".env");
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(r.status, r.body.text).toBe(200);
    expect(await w.sbx.readFile("/srv/agent-api/docs/README.md")).toContain("A small HTTP service.");
    expect(await w.sbx.run(["test", "-e", "/srv/agent-api/package.json"])).toMatchObject({ code: 1 });
    const changed = await w.sbx.exec([
      "git",
      "-C",
      "/srv/agent-api",
      "show",
      "--name-status",
      "-M",
      "--format=",
      "HEAD",
    ]);
    expect(changed).toMatch(/^R100\tREADME\.md\tdocs\/README\.md$/m);
    expect(changed).toMatch(/^D\tpackage\.json$/m);
    expect(await w.get("/", w.agentPort)).toEqual({ status: 200, body: "hello" });
    // After a day the Revert has expired: nothing is run, and the moved file stays where it is.
    w.clock.advance(24 * 3_600_000 + 60_000);
    const late = await w.api(`/agent/code/apply/${r.body.revertConfirmationId}`);
    expect(late.status).toBe(409);
    expect(late.body.text).toMatch(/expired/i);
    expect(await w.sbx.readFile("/srv/agent-api/docs/README.md")).toContain("A small HTTP service.");
  }, 90_000);
});
