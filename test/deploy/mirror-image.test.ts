/**
 * The Fly mirror's image, without a Docker engine: the build stage's inputs are copied as the
 * Dockerfile and .dockerignore say, its RUN line builds the bundle, and the run stage's one file is
 * started with the CMD's own node arguments as an unprivileged user. A stray import of sidecar/ or
 * test/ code, a file the bundle needs at run time, or a need for root would fail here, not on Fly.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { dirname, join, matchesGlob, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repo, spawnNode, stopAll } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { waitFor } from "../support/wait-for.ts";

const NOBODY = 65534;
const TOKEN = "image-admin-token-000001";
const KEY = "image-key-of-vm1-000001";
const dir = mkdtempSync("/var/tmp/voxops-image-");
let mirror: ChildProcess | undefined;
afterAll(async () => {
  mirror?.kill("SIGKILL");
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

type Stage = { copies: { from?: string; src: string[]; dest: string }[]; runs: string[]; lines: string[] };

function stages(dockerfile: string): Stage[] {
  const out: Stage[] = [];
  for (const line of dockerfile.split("\n").filter((l) => l.trim() && !l.startsWith("#"))) {
    if (line.startsWith("FROM ")) out.push({ copies: [], runs: [], lines: [] });
    const stage = out.at(-1);
    if (!stage) throw new Error("the Dockerfile must start with FROM");
    stage.lines.push(line);
    const copy = /^COPY (?:--from=(\S+) )?(.+)$/.exec(line);
    if (copy) {
      const parts = (copy[2] ?? "").split(/\s+/);
      stage.copies.push({
        ...(copy[1] ? { from: copy[1] } : {}),
        src: parts.slice(0, -1),
        dest: parts.at(-1) ?? "",
      });
    }
    if (line.startsWith("RUN ")) stage.runs.push(line.slice(4));
  }
  return out;
}

/** Whether .dockerignore keeps a path in the build context (the last matching pattern wins). */
function inContext(rel: string, patterns: string[]): boolean {
  let kept = true;
  const prefixes = rel.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  for (const raw of patterns) {
    const negated = raw.startsWith("!");
    const pattern = negated ? raw.slice(1) : raw;
    if (prefixes.some((p) => matchesGlob(p, pattern))) kept = negated;
  }
  return kept;
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("the mirror image", () => {
  const dockerfile = readFileSync(join(repo, "Dockerfile"), "utf8");
  const [build, run] = stages(dockerfile);
  const ignore = readFileSync(join(repo, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("keeps local state and secrets out of the build context", () => {
    for (const path of [
      ".voxops/local.json",
      ".dev.vars",
      "node_modules/x/index.js",
      ".git/config",
      "dist/voxops-sidecar.mjs",
      "test/e2e/world.ts",
      "sidecar/main.ts",
      ".wrangler/state/x",
    ])
      expect(inContext(path, ignore), path).toBe(false);
    expect(inContext("edge/app.ts", ignore)).toBe(true);
    expect(inContext("edge/app.test.ts", ignore)).toBe(false);
  });

  it("runs as an unprivileged user and is checked by Fly on an unauthenticated liveness route", () => {
    expect(run?.lines.some((l) => l.startsWith("USER root"))).toBe(false);
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)?.[1] ?? "[]") as string[];
    expect(cmd.at(-1)).toMatch(/exec setpriv --reuid=node --regid=node --init-groups --no-new-privs node /);
    const fly = readFileSync(join(repo, "fly.toml"), "utf8");
    const checks = /\[checks\]([\s\S]*?)(?:\n\[\[|\n\[(?!checks))/.exec(fly)?.[1] ?? "";
    expect(checks).toContain('path = "/healthz"');
    expect(/port = (\d+)/.exec(checks)?.[1]).toBe(/internal_port = (\d+)/.exec(fly)?.[1]);
  });

  it("builds the bundle from the build stage's inputs; the run stage's one file serves as `nobody`", async () => {
    // Build stage: exactly the COPY'd paths that .dockerignore lets into the context.
    const src = join(dir, "src");
    expect(build?.copies.every((c) => c.from === undefined)).toBe(true);
    for (const copy of build?.copies ?? [])
      for (const part of copy.src)
        for (const file of filesUnder(join(repo, part))) {
          const rel = relative(repo, file);
          if (!inContext(rel, ignore)) continue;
          const dest =
            copy.dest.endsWith("/") && copy.src.length > 1
              ? join(src, rel)
              : join(src, copy.dest === "./" ? rel : join(copy.dest, relative(join(repo, part), file)));
          mkdirSync(dirname(dest), { recursive: true });
          cpSync(file, dest);
        }
    // `npm ci` installs exactly the lockfile's packages: the worktree's node_modules are those.
    expect(build?.runs[0]).toMatch(/^npm ci /);
    symlinkSync(join(repo, "node_modules"), join(src, "node_modules"));
    const [tool, ...args] = (build?.runs[1] ?? "").split(/\s+/);
    expect(tool).toBe("node");
    execFileSync(process.execPath, args, { cwd: src, stdio: "pipe" });

    // Run stage: one COPY from the build stage, nothing else.
    expect(run?.copies).toHaveLength(1);
    const only = run?.copies[0];
    expect(only?.from).toBe("build");
    const app = join(dir, "app");
    mkdirSync(app, { recursive: true, mode: 0o755 });
    const bundle = join(app, "voxops-mirror.mjs");
    cpSync(join(src, relative("/src", only?.src[0] ?? "")), bundle);
    const data = join(dir, "data");
    mkdirSync(data);
    chownSync(data, NOBODY, NOBODY);
    for (const d of [dir, app]) execFileSync("chmod", ["755", d]);

    const port = await freePort();
    let stderr = "";
    // The arguments the image's CMD gives the bundle after its path (none today), read from the Dockerfile.
    const cmd = /CMD \[.*node \/app\/voxops-mirror\.mjs([^"]*)"\]/.exec(
      readFileSync(join(repo, "Dockerfile"), "utf8"),
    );
    expect(cmd).not.toBeNull();
    const cmdArgs = (cmd?.[1] ?? "").trim().split(/\s+/).filter(Boolean);
    mirror = spawn(process.execPath, [bundle, ...cmdArgs], {
      cwd: app,
      uid: NOBODY,
      gid: NOBODY,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        PORT: String(port),
        VOXOPS_LISTEN_HOST: "127.0.0.1",
        VOXOPS_DB: join(data, "controller.db"),
        VOXOPS_API_TOKENS: `${TOKEN}:admin`,
        VOXOPS_SIDECAR_KEYS: `vm1=${KEY}`,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    mirror.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const base = `http://127.0.0.1:${port}`;
    const live = await waitFor(
      async () => {
        const res = await fetch(`${base}/healthz`).catch(() => null);
        return res?.ok ? res : null;
      },
      { timeoutMs: 20_000, what: "the mirror to answer /healthz" },
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n${stderr.slice(-1500)}`);
    });
    expect(await live.text()).toBe("ok\n");
    expect((await fetch(`${base}/agent/health`)).status).toBe(401);

    // A real sidecar and one action: the Node host's operations log lines, on stderr.
    spawnNode(
      "bin/voxops.js",
      ["sidecar", "--controller", base, "--vm", "vm1", "--state-dir", join(dir, "sidecar")],
      {
        VOXOPS_SIDECAR_KEY: KEY,
        VOXOPS_HEARTBEAT_S: "1",
      },
    );
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    await waitFor(
      async () => {
        const health = (await (await fetch(`${base}/agent/health`, { headers })).json()) as {
          sidecars: { vm: string }[];
        };
        return health.sidecars.some((s) => s.vm === "vm1");
      },
      { timeoutMs: 20_000, what: "vm1 to connect to the bundled mirror" },
    );
    const res = await fetch(`${base}/agent/commands`, {
      method: "POST",
      headers: { ...headers, "x-request-id": "mirror-image-0001" },
      body: JSON.stringify({ vm: "vm1", action: "status" }),
    });
    expect(res.status).toBe(200);
    const lines = () =>
      stderr
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const dispatched = await waitFor(() =>
      lines().find((l) => l.requestId === "mirror-image-0001" && l.outcome === "dispatched"),
    );
    expect(dispatched).toMatchObject({ from: "mirror", kind: "action", action: "status", target: "vm1" });
    const done = await waitFor(() =>
      lines().find((l) => l.commandId === dispatched.commandId && l.outcome === "ok"),
    );
    expect(done.durationMs).toEqual(expect.any(Number));
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(KEY);
    expect(statSync(join(data, "controller.db")).uid).toBe(NOBODY);
  });
});
