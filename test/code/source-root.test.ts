/**
 * The read-only code actions on a real file tree: everything stays inside the declared source root,
 * symlinks out and `..` are refused, `.git` and secrets files are never listed, read or searched.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionArgs } from "../../protocol/actions/catalog.ts";
import { createCodeList } from "../../sidecar/actions/code-list.ts";
import { createCodeRead } from "../../sidecar/actions/code-read.ts";
import { createCodeSearch } from "../../sidecar/actions/code-search.ts";
import { openSourceRoot } from "../../sidecar/code/source-root.ts";
import { ActionError } from "../../sidecar/services/handler.ts";
import { createHarness, type Harness, inventory } from "../sidecar-actions/harness.ts";

const SECRET = "sk-live-do-not-leak-0001";
let h: Harness;
let outside: string;
let root: string;

beforeAll(() => {
  h = createHarness();
  outside = mkdtempSync(join(tmpdir(), "voxops-outside-"));
  writeFileSync(join(outside, "passwd"), "root:x:0:0\n");
  root = join(h.root, "src", "api");
  mkdirSync(join(root, "lib"), { recursive: true });
  mkdirSync(join(root, ".git"), { recursive: true });
  writeFileSync(join(root, "server.js"), 'const token = process.env.TOKEN;\nconsole.log("hi");\n');
  writeFileSync(join(root, "lib", "util.js"), "exports.x = 1;\n");
  writeFileSync(join(root, ".git", "config"), "[core]\n\trepositoryformatversion = 0\n");
  writeFileSync(join(root, ".env"), `TOKEN=${SECRET}\n`);
  writeFileSync(join(root, ".env.production"), `TOKEN=${SECRET}\n`);
  writeFileSync(join(root, "server.key"), SECRET);
  writeFileSync(join(root, "id_ed25519"), SECRET);
  writeFileSync(join(root, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
  writeFileSync(join(root, "big.txt"), "x".repeat(5000));
  symlinkSync(join(outside, "passwd"), join(root, "passwd-link"));
  symlinkSync(outside, join(root, "outside-dir"));
  symlinkSync(join(root, ".env"), join(root, "env-link"));
  symlinkSync(join(root, "lib", "util.js"), join(root, "util-link.js"));
});
afterAll(() => {
  h.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

const inv = () =>
  inventory({
    vms: { vm1: { services: [{ name: "api", code: { root, maxFileBytes: 4096 } }, "plain"] } },
  });
/**
 * Calls a handler with arguments no schema has seen (typed by a cast): its own checks must refuse what the
 * runner's parse would, so a path that slips past the schema still cannot leave the root.
 */
const raw = { service: "api" };
const list = (args: Record<string, unknown>) =>
  createCodeList()({ ...raw, ...args } as ActionArgs<"code-list">, h.ctx(inv()));
const read = (args: Record<string, unknown>) =>
  createCodeRead()({ ...raw, ...args } as ActionArgs<"code-read">, h.ctx(inv()));
const search = (args: Record<string, unknown>) =>
  createCodeSearch()({ ...raw, ...args } as ActionArgs<"code-search">, h.ctx(inv()));
const refusal = async (p: Promise<unknown>): Promise<ActionError> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ActionError);
  return e as ActionError;
};

describe("code-list", () => {
  it("lists the tree without .git or secrets files", async () => {
    const out = (await list({})) as { entries: string[] };
    expect(out.entries).toContain("server.js");
    expect(out.entries).toContain("lib/util.js");
    for (const hidden of [".git/", ".env", ".env.production", "server.key", "id_ed25519"])
      expect(out.entries).not.toContain(hidden);
  });
  it("refuses a service without a source root, with what to add", async () => {
    const e = await refusal(list({ service: "plain" }));
    expect(e.code).toBe("no-source");
    expect(e.message).toContain('"code": {"root"');
  });
});

describe("code-read", () => {
  it("reads a file and a line range, with the whole file's hash", async () => {
    const out = (await read({ path: "server.js", fromLine: 2, toLine: 2 })) as Record<string, unknown>;
    expect(out["text"]).toBe('console.log("hi");');
    expect(out["totalLines"]).toBe(3);
    expect(out["sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(out["whole"]).toBe(false);
  });
  it("follows a symlink that stays inside the root", async () => {
    const out = (await read({ path: "util-link.js" })) as Record<string, unknown>;
    expect(out["text"]).toContain("exports.x");
  });
  it.each([
    [".env", "secrets file"],
    [".env.production", "secrets file"],
    ["server.key", "secrets file"],
    ["id_ed25519", "secrets file"],
    ["env-link", "secrets file"],
    ["passwd-link", "outside the source root"],
    ["outside-dir/passwd", "outside the source root"],
    [".git/config", ".git"],
    ["../../passwd", "'..'"],
    ["/etc/passwd", "relative"],
    ["lib/$(reboot)", "letters, digits"],
  ])("refuses %s (%s)", async (path, reason) => {
    const e = await refusal(read({ path }));
    expect(e.code).toBe("forbidden-path");
    expect(e.message).toContain(reason);
    expect(e.message).not.toContain(SECRET);
  });
  it("refuses binary and too-big files", async () => {
    expect((await refusal(read({ path: "logo.png" }))).code).toBe("binary");
    expect((await refusal(read({ path: "big.txt" }))).code).toBe("too-big");
  });
});

describe("code-search", () => {
  it("finds text in source files and never in secrets, .git or through symlinks", async () => {
    const out = (await search({ text: "TOKEN" })) as {
      hits: { path: string; line: number }[];
    };
    expect(out.hits).toEqual([expect.objectContaining({ path: "server.js", line: 1 })]);
    const none = (await search({ text: "repositoryformatversion" })) as { hits: unknown[] };
    expect(none.hits).toEqual([]);
    const root0 = (await search({ text: "root:x" })) as { hits: unknown[] };
    expect(root0.hits).toEqual([]);
  });
});

describe("writes", () => {
  it("a new file inside a symlinked directory that leads out is refused", async () => {
    const spec = inv().service("vm1", "api")?.code;
    const r = await openSourceRoot("api", spec);
    await expect(r.resolve("outside-dir/new.js", "write")).rejects.toThrow(/outside the source root/);
    await expect(r.resolve("lib/new.js", "write")).resolves.toMatchObject({ exists: false });
    await expect(r.resolve(".git/hooks/pre-commit", "write")).rejects.toThrow(/\.git/);
  });
});
