import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeSpecSchema } from "../../protocol/code-inventory.ts";
import { listConfined, readConfinedText, searchConfined } from "./confined-walk.ts";
import { openSourceRoot, type SourceRoot } from "./source-root.ts";

const dir = mkdtempSync(join(tmpdir(), "voxops-walk-"));
let root: SourceRoot;
beforeAll(async () => {
  mkdirSync(join(dir, "lib"));
  mkdirSync(join(dir, "node_modules"));
  writeFileSync(join(dir, "a.js"), "needle 1\nneedle 2\n");
  writeFileSync(join(dir, "lib", "b.js"), "  needle 3  \n");
  writeFileSync(join(dir, "node_modules", "c.js"), "needle 4\n");
  writeFileSync(join(dir, ".env"), "needle=secret\n");
  root = await openSourceRoot("api", codeSpecSchema.parse({ root: dir }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const list = { maxEntries: 10, notADirectory: (rel: string) => `${rel} is no directory` };
const search = { maxFiles: 10, shown: (line: string) => line.trim() };

describe("the confined walkers", () => {
  it("list names in one directory, or paths from the root to a depth; secrets never, build output on request", async () => {
    const one = await listConfined(root, "", { ...list, depth: 1, skipBuildOutput: false, fromRoot: false });
    expect(one.entries).toEqual(["a.js", "lib/", "node_modules/"]);
    const deep = await listConfined(root, "", { ...list, depth: 2, skipBuildOutput: true, fromRoot: true });
    expect(deep.entries).toEqual(["a.js", "lib/", "lib/b.js"]);
    const inLib = await listConfined(root, "lib", {
      ...list,
      depth: 1,
      skipBuildOutput: false,
      fromRoot: false,
    });
    expect(inLib.entries).toEqual(["b.js"]);
    const capped = await listConfined(root, "", {
      ...list,
      maxEntries: 2,
      depth: 1,
      skipBuildOutput: false,
      fromRoot: false,
    });
    expect(capped).toEqual({ entries: ["a.js", "lib/"], truncated: true });
    await expect(
      listConfined(root, "a.js", { ...list, depth: 1, skipBuildOutput: false, fromRoot: false }),
    ).rejects.toThrow("a.js is no directory");
  });

  it("search stops at the limit, or looks on to say the hits were truncated; no secrets, no build output", async () => {
    const all = await searchConfined(root, "NEEDLE", { ...search, maxHits: 10, reportTruncation: true });
    expect(all.hits.map((h) => `${h.path}:${h.line}:${h.text}`)).toEqual([
      "a.js:1:needle 1",
      "a.js:2:needle 2",
      "lib/b.js:1:needle 3",
    ]);
    expect(all.truncated).toBe(false);
    const stop = await searchConfined(root, "needle", { ...search, maxHits: 2, reportTruncation: false });
    expect(stop).toEqual({ hits: all.hits.slice(0, 2), filesSearched: 1, truncated: false });
    const told = await searchConfined(root, "needle", { ...search, maxHits: 2, reportTruncation: true });
    expect(told).toEqual({ hits: all.hits.slice(0, 2), filesSearched: 2, truncated: true });
  });

  it("read one text file and refuses secrets", async () => {
    expect((await readConfinedText(root, "lib/b.js")).rel).toBe("lib/b.js");
    await expect(readConfinedText(root, ".env")).rejects.toThrow("secrets file");
  });
});
