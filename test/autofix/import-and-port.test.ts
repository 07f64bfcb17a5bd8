/** Auto-fix end to end: a missing declared module is installed; a port held by a stale copy is freed, by anyone else is not. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../sidecar-actions/harness.ts";
import {
  alive,
  copyFixture,
  createWorld,
  serviceFixture,
  sleep,
  type World,
  waitListening,
} from "./world.ts";

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.cleanup();
});

describe("import error", () => {
  async function importApp(lib?: string) {
    const port = await freePort();
    let dir = "";
    const w = createWorld((root) => {
      dir = join(root, "import-app");
      return {
        vms: {
          vm1: {
            services: [
              {
                name: "import-app",
                workdir: dir,
                manifest: join(dir, "package.json"),
                health: `http://127.0.0.1:${port}/health`,
                port,
              },
            ],
          },
        },
      };
    });
    worlds.push(w);
    copyFixture("import-app", dir);
    w.h.unit("import-app", join(dir, "server.mjs"), {
      env: { PORT: String(port), ...(lib ? { LIB: lib } : {}) },
      extra: `WorkingDirectory=${dir}`,
    });
    await w.autofix.start();
    w.h.systemctl("start", "import-app");
    return { w, dir, port };
  }

  it("installs the declared dependencies in the service's directory, restarts and verifies", async () => {
    const { w, dir, port } = await importApp();
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("fix.applied");
    expect(e.data["finding"]).toMatchObject({
      rule: "import-error",
      service: "import-app",
      facts: { module: "greeting-lib" },
    });
    const steps = e.data["steps"] as { kind: string; ok: boolean; detail: Record<string, unknown> }[];
    expect(steps.map((s) => [s.kind, s.ok])).toEqual([
      ["install-deps", true],
      ["restart", true],
    ]);
    expect(steps[0]?.detail["command"]).toBe("npm install --omit=dev --no-audit --no-fund");
    expect(existsSync(join(dir, "node_modules", "greeting-lib", "index.js"))).toBe(true);
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await res.text()).toContain("hello from greeting-lib");
    // The errors action tells the same story.
    const errors = (await (
      await import("../../sidecar/actions/index.ts")
    )
      .createHandlers(w.h.adapters)
      .errors?.({ service: "import-app" }, w.h.ctx(w.inv))) as {
      findings: { rule: string; outcome: string }[];
    };
    expect(errors.findings[0]).toMatchObject({ rule: "import-error", outcome: "repaired" });
  });

  it("does not guess a module the manifest does not declare: proposes a change instead", async () => {
    const { w, dir } = await importApp("left-padder");
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("finding");
    expect(e.data["finding"]).toMatchObject({ rule: "import-error", facts: { module: "left-padder" } });
    expect(e.data["plan"]).toMatchObject({ decision: "report", steps: [], proposal: { via: "llm" } });
    expect((e.data["suggest"] as { action: string }[]).map((s) => s.action)).toEqual([
      "logs",
      "restart",
      "diagnose",
    ]);
    expect(existsSync(join(dir, "node_modules"))).toBe(false);
  });
});

describe("port in use", () => {
  async function portWorld(mode: "on" | "dry-run" = "on") {
    const port = await freePort();
    let dir = "";
    const w = createWorld(
      (root) => {
        dir = root;
        return {
          vms: {
            vm1: { services: [{ name: "web", workdir: root, health: `http://127.0.0.1:${port}/`, port }] },
          },
        };
      },
      { mode },
    );
    worlds.push(w);
    const script = serviceFixture("bind-port-service.ts");
    w.h.unit("web", script, { env: { PORT: String(port) }, extra: `WorkingDirectory=${dir}` });
    return { w, dir, port, script };
  }

  it("stops a stale copy of the same service holding the port, restarts and verifies", async () => {
    const { w, dir, port, script } = await portWorld();
    const stale = w.spawnOwned(process.execPath, [script], { cwd: dir, env: { PORT: String(port) } });
    await waitListening(port);
    await w.autofix.start();
    w.h.systemctl("start", "web");
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("fix.applied");
    expect(e.data["finding"]).toMatchObject({ rule: "port-in-use", facts: { port: String(port) } });
    const steps = e.data["steps"] as { kind: string; detail: Record<string, unknown> }[];
    expect(steps[0]).toMatchObject({ kind: "stop-stale-process", ok: true, detail: { pid: stale.pid } });
    await sleep(100);
    expect(alive(stale)).toBe(false);
    const show = w.h.systemctl("show", "web", "-p", "ActiveState,MainPID");
    expect(show).toContain("ActiveState=active");
    expect(show).not.toContain(`MainPID=${stale.pid}\n`);
  });

  it("never stops an unrelated process holding the port: reports who holds it and asks", async () => {
    const { w, port } = await portWorld();
    const other = w.spawnOwned(
      process.execPath,
      ["-e", `require("node:net").createServer().listen(${port}, "127.0.0.1"); setInterval(() => {}, 1e6)`],
      {},
    );
    await waitListening(port);
    await w.autofix.start();
    w.h.systemctl("start", "web");
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("finding");
    const plan = e.data["plan"] as { holders: { pid: number; name: string; stale: boolean }[]; ask: string };
    expect(plan.holders).toEqual([expect.objectContaining({ pid: other.pid, name: "node", stale: false })]);
    expect(plan.ask).toContain(`pid ${other.pid}`);
    await sleep(500);
    expect(alive(other)).toBe(true);
    expect(w.of("fix.applied").length + w.of("fix.failed").length).toBe(0);
  });

  it("in dry-run reports the plan and changes nothing", async () => {
    const { w, dir, port, script } = await portWorld("dry-run");
    const stale = w.spawnOwned(process.execPath, [script], { cwd: dir, env: { PORT: String(port) } });
    await waitListening(port);
    await w.autofix.start();
    w.h.systemctl("start", "web");
    const e = await w.waitFor(["fix.applied", "fix.failed", "finding", "fix.skipped"]);
    expect(e.kind).toBe("fix.skipped");
    expect(e.data["reason"]).toBe("dry-run");
    expect((e.data["plan"] as { steps: unknown[] }).steps).toEqual([
      { kind: "stop-stale-process", pid: stale.pid, name: "node", port },
      { kind: "restart", unit: "web.service" },
    ]);
    await sleep(1000);
    expect(alive(stale)).toBe(true);
    expect(w.h.systemctl("show", "web", "-p", "ActiveState")).not.toContain("=active");
    expect(w.of("fix.applied")).toEqual([]);
  });
});
