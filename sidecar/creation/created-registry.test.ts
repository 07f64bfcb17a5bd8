import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openCreatedRegistry, readRegistry } from "./created-registry.ts";

const record = (name: string) => ({
  kind: "service",
  name,
  unit: `voxops-made-${name}.service`,
  path: `/srv/new/${name}`,
  request: "test",
  createdAt: 1,
});

describe("the sidecar's in-memory registry of created services", () => {
  const dirs: string[] = [];
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), "voxops-registry-"));
    dirs.push(dir);
    return join(dir, "created.json");
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("reads once at open and answers lookups from memory until the file changes", () => {
    const path = file();
    writeFileSync(path, JSON.stringify([record("echo")]));
    const registry = openCreatedRegistry(path);
    const seen: string[][] = [];
    registry.onChange((rs) => seen.push(rs.map((r) => r.name)));
    expect(registry.records().map((r) => r.name)).toEqual(["echo"]);
    // Same stamp: not read again (the records object is the same one).
    const before = registry.records();
    expect(registry.refresh()).toBe(false);
    expect(registry.records()).toBe(before);
    writeFileSync(path, JSON.stringify([record("echo"), record("crashy")]));
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(registry.refresh()).toBe(true);
    expect(seen).toEqual([["echo", "crashy"]]);
  });

  it("a rewrite with the same records is no change, and a removed file is an empty registry", () => {
    const path = file();
    writeFileSync(path, JSON.stringify([record("echo")]));
    const registry = openCreatedRegistry(path);
    let changes = 0;
    registry.onChange(() => changes++);
    writeFileSync(path, JSON.stringify([record("echo")], null, 2));
    expect(registry.refresh({ force: true })).toBe(false);
    rmSync(path);
    expect(registry.refresh()).toBe(true);
    expect(registry.records()).toEqual([]);
    expect(changes).toBe(1);
  });

  it("skips records that are damaged or name a unit voxops did not make", () => {
    const path = file();
    writeFileSync(
      path,
      JSON.stringify([record("echo"), { ...record("ssh"), unit: "ssh.service" }, { name: 3 }]),
    );
    expect(readRegistry(path).map((r) => r.name)).toEqual(["echo"]);
  });
});
