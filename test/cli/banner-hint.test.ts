/**
 * The local run's banner gives commands that work as printed: a real `voxops start` with VOXOPS_HOME
 * and PORT set (no VOXOPS_API_TOKEN), and its "Try:" lines run in a fresh shell that has neither, as a
 * user pasting them would. The status command without VOXOPS_HOME says which setting finds the token.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curlHint, statusHint } from "../../edge/cli/start-banner.ts";
import { type Child, repo, spawnNode, stopAll } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { waitFor } from "../support/wait-for.ts";

const home = mkdtempSync(join(tmpdir(), "voxops banner home "));
let port: number;
let run: Child;

/** Runs a line in /bin/sh from the repository with only PATH and HOME (a new terminal). */
async function shell(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)("/bin/sh", ["-c", line], {
      cwd: repo,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/" },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

beforeAll(async () => {
  port = await freePort();
  const env: Record<string, string> = { PORT: String(port), VOXOPS_HOME: home, VOXOPS_QUIET: "1" };
  run = spawnNode("bin/voxops.js", ["start"], env);
  await waitFor(() => run.stdout().includes("Stop with Ctrl-C."), { what: "the banner", timeoutMs: 30_000 });
}, 60_000);
afterAll(async () => {
  await run?.stop();
  await stopAll();
  rmSync(home, { recursive: true, force: true });
});

describe("the local run's banner", { timeout: 120_000 }, () => {
  it("prints a status command that works as printed in a shell without VOXOPS_HOME", async () => {
    const lines = run.stdout().split("\n");
    const tryLine = lines.find((l) => l.startsWith("Try: "))?.slice(5) ?? "";
    expect(tryLine).toContain("VOXOPS_HOME=");
    expect(tryLine).toContain(`VOXOPS_URL=http://127.0.0.1:${port}`);
    const status = await shell(tryLine);
    expect(status.stderr).toBe("");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("local");
    // The curl line too.
    const curl = lines[lines.findIndex((l) => l.startsWith("Try: ")) + 1]?.trim() ?? "";
    expect(curl).toMatch(/^curl /);
    const health = await shell(`${curl} -s -o /dev/null -w '%{http_code}'`);
    expect(health.stdout).toBe("200");
  });

  it("the same command without VOXOPS_HOME says which setting finds the token", async () => {
    const status = await shell(`VOXOPS_URL=http://127.0.0.1:${port} npx voxops status`);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(
      /does not exist\. Set VOXOPS_API_TOKEN, or set VOXOPS_HOME to the directory/,
    );
  });

  it("gives the default command when nothing is set, and points at the environment's token when one was given", () => {
    const base = { url: "http://127.0.0.1:8787", home: "/r/.voxops", tokenFromEnv: false };
    expect(statusHint({ ...base, defaultUrl: true, defaultHome: true })).toBe("npx voxops status");
    expect(curlHint({ ...base, defaultUrl: true, defaultHome: true })).toBe(
      `curl -H "Authorization: Bearer $(node -p 'require("/r/.voxops/local.json").apiToken')" http://127.0.0.1:8787/agent/health`,
    );
    const env = { ...base, defaultUrl: true, defaultHome: false, home: "/x y", tokenFromEnv: true };
    expect(statusHint(env)).toBe(
      "npx voxops status   (with the same VOXOPS_API_TOKEN in that shell's environment)",
    );
    expect(curlHint(env)).toContain("Bearer $VOXOPS_API_TOKEN");
    expect(statusHint({ ...env, tokenFromEnv: false })).toBe("VOXOPS_HOME='/x y' npx voxops status");
  });
});
