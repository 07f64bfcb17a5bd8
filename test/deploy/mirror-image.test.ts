/**
 * The Fly mirror's image holds only package.json, bin/ and edge/ (see Dockerfile). This starts
 * `voxops mirror` from a directory with exactly those files, so a stray import of sidecar/ or
 * test/ code from the controller would fail here, not on Fly.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repo, spawnNode, stopAll } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { waitFor } from "../support/wait-for.ts";

const dir = mkdtempSync(join(tmpdir(), "voxops-image-"));
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

describe("the mirror image's file set", () => {
  it("copies what the Dockerfile copies, and the mirror starts from it", async () => {
    const dockerfile = readFileSync(join(repo, "Dockerfile"), "utf8");
    const copied = [...dockerfile.matchAll(/^COPY (\S+)/gm)].map((m) => m[1]);
    expect(copied).toEqual(["package.json", "bin", "edge"]);
    const app = join(dir, "app");
    for (const part of ["package.json", "bin", "edge"])
      cpSync(join(repo, part), join(app, part), { recursive: true });
    symlinkSync(join(repo, "node_modules"), join(app, "node_modules"));
    const port = await freePort();
    const token = "image-admin-token-000001";
    const mirror = spawnNode(join(app, "bin", "voxops.js"), ["mirror"], {
      PORT: String(port),
      VOXOPS_LISTEN_HOST: "127.0.0.1",
      VOXOPS_DB: join(dir, "mirror.db"),
      VOXOPS_API_TOKENS: `${token}:admin`,
      VOXOPS_SIDECAR_KEYS: "vm1=image-key-of-vm1-000001",
    });
    const health = await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/agent/health`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return res.ok ? ((await res.json()) as { ok: boolean }) : null;
      },
      { timeoutMs: 20_000, what: "the mirror to answer" },
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n${mirror.stderr().slice(-1500)}`);
    });
    expect(health.ok).toBe(true);
  });
});
