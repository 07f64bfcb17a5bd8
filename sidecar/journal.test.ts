import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openJournal } from "./journal.ts";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the command journal", () => {
  it("remembers results until acked, across reopening", () => {
    dir = mkdtempSync(join(tmpdir(), "voxops-journal-"));
    const j = openJournal(dir);
    j.start("c1", "edge");
    j.finish("c1", "edge", { type: "result", id: "c1", ok: true, output: 1 });
    j.start("c2", "edge");
    j.finish("c2", "edge", { type: "result", id: "c2", ok: true });
    j.ack("c2");
    const again = openJournal(dir);
    expect(again.unacked("edge").map((f) => f.id)).toEqual(["c1"]);
    expect(again.unacked("mirror")).toEqual([]);
    expect(again.get("c2")?.acked).toBe(true);
  });

  it("closes a command left running by a crashed process as interrupted", () => {
    dir = mkdtempSync(join(tmpdir(), "voxops-journal-"));
    openJournal(dir).start("c9", "edge");
    const after = openJournal(dir);
    expect(after.get("c9")).toMatchObject({
      state: "done",
      frame: { ok: false, error: { code: "interrupted" } },
    });
  });

  it("skips a torn last line instead of failing to start", () => {
    dir = mkdtempSync(join(tmpdir(), "voxops-journal-"));
    openJournal(dir).start("c1", "edge");
    writeFileSync(join(dir, "journal.jsonl"), `${readFileSync(join(dir, "journal.jsonl"), "utf8")}{"op":"do`);
    expect(openJournal(dir).get("c1")?.state).toBe("done");
  });
});
