import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./atomic-write.ts";

const dir = mkdtempSync(join(tmpdir(), "voxops-atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const leftovers = (d: string) => readdirSync(d).filter((n) => n.endsWith(".tmp"));

describe("writeFileAtomic", () => {
  it("creates a new file with the given mode and leaves no temporary file", async () => {
    const path = join(dir, "new.conf");
    await writeFileAtomic(path, "a = 1\n", { mode: 0o600 });
    expect(readFileSync(path, "utf8")).toBe("a = 1\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it("replaces an existing file and keeps its mode", async () => {
    const path = join(dir, "kept.conf");
    writeFileSync(path, "old\n", { mode: 0o640 });
    await writeFileAtomic(path, Buffer.from("new\n"), { mode: 0o600 });
    expect(readFileSync(path, "utf8")).toBe("new\n");
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it("with refuseLinks, refuses a linked directory and a path that is a link, and writes nothing", async () => {
    const real = join(dir, "real");
    mkdirSync(real);
    writeFileSync(join(real, "target"), "untouched\n");
    symlinkSync(real, join(dir, "via-link"));
    symlinkSync(join(real, "target"), join(real, "link"));
    await expect(writeFileAtomic(join(dir, "via-link", "x"), "x", { refuseLinks: true })).rejects.toThrow(
      "symbolic link",
    );
    await expect(writeFileAtomic(join(real, "link"), "x", { refuseLinks: true })).rejects.toThrow(
      "not a regular file",
    );
    expect(readFileSync(join(real, "target"), "utf8")).toBe("untouched\n");
    expect(leftovers(real)).toEqual([]);
  });

  it("on a failed rename leaves the path as it was and removes the temporary file", async () => {
    const path = join(dir, "a-directory");
    mkdirSync(path);
    await expect(writeFileAtomic(path, "x")).rejects.toThrow();
    expect(statSync(path).isDirectory()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });
});
