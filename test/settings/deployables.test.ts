/**
 * Each deployable starts with only what it needs, on real parts: a Node host with nothing but its
 * tokens and keys is healthy (no bot, LLM or Oracle settings asked for), a real sidecar process with
 * nothing but its key connects to it (no bot token, no API tokens) and names a misspelt setting once
 * in its log, and a sidecar with a key in the wrong form stops with a sentence that never shows it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import { startNodeHost } from "../../edge/node/server.ts";
import { type Child, repo, stopAll } from "../support/child.ts";
import { waitFor } from "../support/wait-for.ts";

const ADMIN = "deployables-admin-token-01";
const KEY = "deployables-key-of-vm1-0001";
const dir = mkdtempSync(join(tmpdir(), "voxops-deployables-"));
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

/** A sidecar process whose environment is exactly `env` (plus PATH and HOME), not the test's. */
function sidecar(args: string[], env: Record<string, string>): Child & { exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [join(repo, "bin", "voxops.js"), "sidecar", ...args], {
    cwd: repo,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: dir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  proc.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return {
    process: proc,
    stderr: () => err,
    stdout: () => "",
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    },
  };
}

describe("each deployable starts with only what it needs", () => {
  it("a controller with its tokens and keys only, and a sidecar with its key only", async () => {
    const env = { VOXOPS_API_TOKENS: `${ADMIN}:admin`, VOXOPS_SIDECAR_KEYS: `vm1=${KEY}` };
    const host = await startNodeHost({ config: readConfig(env), env, port: 0, dbPath: ":memory:" });
    try {
      const health = await fetch(`${host.url}/agent/health`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const body = (await health.json()) as { ok: boolean; problems?: string[] };
      expect(body.problems ?? []).toEqual([]);
      expect(body.ok).toBe(true);
      expect(host.runtime.bot).toBeUndefined();

      const child = sidecar(["--controller", host.url, "--vm", "vm1", "--state-dir", join(dir, "state")], {
        VOXOPS_SIDECAR_KEY: KEY,
        VOXOPS_AUTOFX: "off",
      });
      try {
        await waitFor(() => host.controller.connected("vm1"), {
          timeoutMs: 20_000,
          what: "the sidecar to connect with nothing but its key",
        });
        await waitFor(() => child.stderr().includes("VOXOPS_AUTOFX"), {
          timeoutMs: 5_000,
          what: "the typo's line",
        });
        const said = child
          .stderr()
          .split("\n")
          .filter((l) =>
            l.includes("VOXOPS_AUTOFX is not a voxops setting and is ignored. Did you mean VOXOPS_AUTOFIX?"),
          );
        expect(said).toHaveLength(1);
      } finally {
        await child.stop();
      }
    } finally {
      await host.close();
    }
  });

  it("a wrong auto-fix rules setting leaves the auto-fix mode as set (off stays off)", async () => {
    const env = { VOXOPS_API_TOKENS: `${ADMIN}:admin`, VOXOPS_SIDECAR_KEYS: `vm1=${KEY}` };
    const host = await startNodeHost({ config: readConfig(env), env, port: 0, dbPath: ":memory:" });
    const child = sidecar(["--controller", host.url, "--vm", "vm1", "--state-dir", join(dir, "state-off")], {
      VOXOPS_SIDECAR_KEY: KEY,
      VOXOPS_AUTOFIX: "off",
      VOXOPS_AUTOFIX_RULES: "port-in-use:maybe",
    });
    try {
      await waitFor(() => /"msg":"auto-fix".*"mode"/.test(child.stderr()), {
        timeoutMs: 20_000,
        what: "the sidecar's auto-fix line",
      });
      const line = child
        .stderr()
        .split("\n")
        .find((l) => /"msg":"auto-fix".*"mode"/.test(l));
      expect(line).toContain('"mode":"off"');
      expect(child.stderr()).toContain("VOXOPS_AUTOFIX_RULES");
    } finally {
      await child.stop();
      await host.close();
    }
  });

  it("a sidecar whose key has the wrong form stops with a sentence naming the setting, never the value", async () => {
    const child = sidecar(["--controller", "http://127.0.0.1:9", "--vm", "vm1"], {
      VOXOPS_SIDECAR_KEY: "short-key",
    });
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toMatch(
      /^voxops sidecar: VOXOPS_SIDECAR_KEY must be this VM's key, 16 characters or more; the sidecar cannot start\./,
    );
    expect(child.stderr()).not.toContain("short-key");
  });
});
