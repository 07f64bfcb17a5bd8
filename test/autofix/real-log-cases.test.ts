/**
 * The real-world log cases (../shared/cases/logs, and the further cases of each kind in ./cases, taken
 * from the servers' own source and documentation) classified as the watcher classifies a burst.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

import { type JournalEntry, parseJournalJson } from "../../sidecar/adapters/journal-entry.ts";
import { classify } from "../../sidecar/autofix/match.ts";
import { declaringPackage, readManifest } from "../../sidecar/autofix/rule-kit/manifest.ts";

const shared = resolve(import.meta.dirname, "..", "..", "..", "shared", "cases", "logs");
const own = join(import.meta.dirname, "cases");

/** Lines of a plain log as journald stores a service's stdout: one entry each, at info priority. */
const asEntries = (lines: readonly string[]): JournalEntry[] =>
  lines.map((message, i) => ({
    at: 1000 + i,
    priority: 6,
    unit: "app.service",
    pid: 4242,
    identifier: "app",
    message,
  }));

const logFile = (name: string) =>
  asEntries(readFileSync(join(shared, name), "utf8").split("\n").filter(Boolean));
const jsonFile = (name: string) =>
  readFileSync(join(shared, name), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => parseJournalJson(l))
    .filter((e): e is JournalEntry => e !== null);

interface Case {
  source: string;
  lines: string[];
  port?: string | null;
  path?: string;
  rule?: string;
  module?: string;
  manifest?: string[];
  declared?: boolean;
}
const cases = (file: string): Case[] => JSON.parse(readFileSync(join(own, file), "utf8")) as Case[];

describe("the shared real-log cases", () => {
  it("covers every file in the folder", () => {
    const files = readdirSync(shared).filter((f) => f !== "README.md");
    expect(files.sort()).toEqual([
      "journal-ansi-bytes.jsonl",
      "journal-long-message.jsonl",
      "journal-pid1-oom.jsonl",
      "node-inotify-enospc.log",
      "python-missing-script.log",
      "uvicorn-bind.log",
    ]);
  });

  it("journal-pid1-oom: systemd's records about app.service are app.service's, and reach out-of-memory", () => {
    const entries = jsonFile("journal-pid1-oom.jsonl");
    expect(entries).toHaveLength(4);
    expect(entries.every((e) => e.unit === "app.service")).toBe(true);
    expect(classify(entries)).toMatchObject({ rule: "out-of-memory" });
  });

  it("journal-long-message: a MESSAGE left out by journalctl is marked, not read as an empty line", () => {
    const [e] = jsonFile("journal-long-message.jsonl");
    expect(e).toMatchObject({ unit: "app.service", message: "", truncated: true });
  });

  it("journal-ansi-bytes: the byte array is decoded, the colour removed, and express is an import error", () => {
    const entries = jsonFile("journal-ansi-bytes.jsonl");
    expect(entries.map((e) => e.message)).toEqual([
      "error: Cannot find module 'express'",
      "error: Require stack: /srv/app/server.js",
    ]);
    expect(classify(entries)).toMatchObject({ rule: "import-error", facts: { module: "express" } });
  });

  it("uvicorn-bind: port-in-use with port 8000", () => {
    expect(classify(logFile("uvicorn-bind.log"))).toMatchObject({
      rule: "port-in-use",
      facts: { port: "8000" },
    });
  });

  it("node-inotify-enospc: the watcher limit, not a full disk", () => {
    expect(classify(logFile("node-inotify-enospc.log"))?.rule).toBe("watch-limit");
  });

  it("python-missing-script: file-not-found with the script's path, though logged at info priority", () => {
    expect(classify(logFile("python-missing-script.log"))).toMatchObject({
      rule: "file-not-found",
      facts: { path: "/srv/app/main.py" },
    });
  });
});

describe("port-in-use as each server words it", () => {
  it.each(cases("port-in-use.json").map((c) => [c.source, c] as const))("%s", (_, c) => {
    const got = classify(asEntries(c.lines));
    expect(got?.rule).toBe("port-in-use");
    expect(got?.facts.port).toBe(c.port ?? undefined);
  });
});

describe("ENOSPC: watcher limit or full disk", () => {
  it.each(cases("out-of-space.json").map((c) => [c.source, c] as const))("%s", (_, c) => {
    expect(classify(asEntries(c.lines))?.rule).toBe(c.rule);
  });
});

describe("a missing file, path before or after the message", () => {
  it.each(cases("file-not-found.json").map((c) => [c.source, c] as const))("%s", (_, c) => {
    expect(classify(asEntries(c.lines))).toMatchObject({ rule: "file-not-found", facts: { path: c.path } });
  });
});

describe("a missing package, matched against the manifest by its distribution's name", () => {
  it.each(cases("import-error.json").map((c) => [c.source, c] as const))("%s", async (_, c) => {
    const got = classify(asEntries(c.lines));
    // Look-alikes that are not a missing package of the manifest (a Java class) say which rule they are.
    if (c.rule !== undefined && c.rule !== "import-error") return void expect(got?.rule).toBe(c.rule);
    expect(got).toMatchObject({ rule: "import-error", facts: { module: c.module } });
    const runtime = c.lines.some((l) => l.includes("Cannot find")) ? "node" : "python";
    // The manifest as the service has it on disk, read by the same parser the planner uses.
    const dir = mkdtempSync(join(tmpdir(), "voxops-manifest-"));
    const file = join(dir, runtime === "node" ? "package.json" : "requirements.txt");
    const names = c.manifest ?? [];
    writeFileSync(
      file,
      runtime === "node"
        ? JSON.stringify({ dependencies: Object.fromEntries(names.map((n) => [n, "*"])) })
        : `# pinned\n${names.join("\n")}\n`,
    );
    const info = await readManifest(file);
    rmSync(dir, { recursive: true, force: true });
    expect(info?.runtime).toBe(runtime);
    expect(declaringPackage(info ?? { runtime, declared: [] }, c.module ?? "") !== null).toBe(c.declared);
  });
});
