/** status, logs, metrics, errors and restart through the handler table, on real processes under the stand-in. */
import { afterEach, describe, expect, it } from "vitest";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { ActionError } from "../../sidecar/services/handler.ts";
import { createHarness, fixture, freePort, type Harness, inventory, refusal, until } from "./harness.ts";

let h: Harness;
afterEach(() => h?.cleanup());

async function setup() {
  h = createHarness();
  const port = await freePort();
  h.unit("web", fixture("http-service.ts"), { env: { PORT: String(port) } });
  h.unit("crasher", fixture("crash-service.ts"));
  h.unit("errs", fixture("error-writer-service.ts"), { env: { ERROR_LINES: "6" } });
  const inv = inventory({
    vms: {
      vm1: {
        services: [
          { name: "web", health: `http://127.0.0.1:${port}/health` },
          "crasher",
          "errs",
          { name: "ghost", unit: "ghost-worker.service" },
        ],
      },
      vm2: { services: ["other"] },
    },
  });
  return { handlers: createHandlers(h.adapters), ctx: h.ctx(inv), port };
}

describe("read actions", () => {
  it("status lists every inventory service with its state, since, PID and memory, and the VM's figures", async () => {
    const { handlers, ctx } = await setup();
    await h.adapters.systemd.start("web.service");
    await h.adapters.systemd.start("crasher.service");
    await until(async () => (await h.adapters.systemd.failedUnits()).includes("crasher.service"));
    const out = (await handlers.status?.({}, ctx)) as {
      services: {
        name: string;
        state: string;
        pid: number | null;
        since: string | null;
        memoryB: number | null;
      }[];
      failing: string[];
      figures: { memory: { totalB: number } };
    };
    const by = Object.fromEntries(out.services.map((s) => [s.name, s]));
    expect(by["web"]).toMatchObject({ state: "active" });
    expect(by["web"]?.pid).toBeGreaterThan(0);
    expect(Date.parse(by["web"]?.since ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(by["web"]?.memoryB).toBeGreaterThan(0);
    expect(by["crasher"]).toMatchObject({ state: "failed", pid: null });
    expect(by["errs"]).toMatchObject({ state: "inactive" });
    expect(by["ghost"]).toMatchObject({ state: "missing" });
    expect(out.failing.sort()).toEqual(["crasher", "errs", "ghost"]);
    expect(out.figures.memory.totalB).toBeGreaterThan(0);
  });

  it("logs returns the last N lines with timestamps", async () => {
    const { handlers, ctx } = await setup();
    await h.adapters.systemd.start("errs.service");
    await until(async () => (await h.adapters.journal.tail("errs.service", 100)).length >= 19);
    const out = (await handlers.logs?.({ service: "errs", lines: 5 }, ctx)) as { lines: string[] };
    expect(out.lines).toHaveLength(5);
    for (const line of out.lines)
      expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:?\d{2} /);
    expect(out.lines.join("\n")).toMatch(/handled request 6$/m);
    expect(out.lines.join("\n")).not.toMatch(/handled request 1$/m);
  });

  it("metrics reports memory, swap, disks, load and the top memory processes", async () => {
    const { handlers, ctx } = await setup();
    const out = (await handlers.metrics?.({ metric: "all" }, ctx)) as {
      memory: { totalB: number; usedB: number };
      swap: { totalB: number };
      disks: { path: string; totalB: number }[];
      cpu: { load: number[]; cpus: number };
      topProcesses: { pid: number; rssB: number }[];
    };
    expect(out.memory.totalB).toBeGreaterThan(out.memory.usedB);
    expect(out.swap.totalB).toBeGreaterThanOrEqual(0);
    expect(out.disks.some((d) => d.path === "/" && d.totalB > 0)).toBe(true);
    expect(out.cpu.load).toHaveLength(3);
    expect(out.topProcesses.some((p) => p.pid === process.pid)).toBe(true);
    const rss = out.topProcesses.map((p) => p.rssB);
    expect(rss).toEqual([...rss].sort((a, b) => b - a));
    const memOnly = (await handlers.metrics?.({ metric: "memory" }, ctx)) as Record<string, unknown>;
    expect(memOnly["disks"]).toBeUndefined();
  });

  it("errors counts failed units and groups repeated error lines with numbers and ids normalised", async () => {
    const { handlers, ctx } = await setup();
    await h.adapters.systemd.start("errs.service");
    await h.adapters.systemd.start("crasher.service");
    await until(
      async () => (await h.adapters.journal.entries({ units: ["errs.service"], priority: 3 })).length >= 6,
    );
    await until(async () => (await h.adapters.systemd.failedUnits()).includes("crasher.service"));
    const out = (await handlers.errors?.({ sinceMinutes: 60 }, ctx)) as {
      failedUnits: string[];
      groups: { unit: string; pattern: string; count: number; priority: number }[];
      clean: boolean;
    };
    expect(out.failedUnits).toEqual(["crasher.service"]);
    expect(out.clean).toBe(false);
    const payment = out.groups.find((g) => g.pattern.startsWith("payment"));
    expect(payment).toMatchObject({ unit: "errs.service", count: 6, priority: 3 });
    expect(payment?.pattern).toBe("payment <n> failed: upstream returned <n> after <n>ms");
    const db = out.groups.find((g) => g.pattern.startsWith("Error: connection to db"));
    expect(db).toMatchObject({
      count: 6,
      priority: 6,
      pattern: "Error: connection to db refused (request id <hex>)",
    });
    expect(out.groups.some((g) => g.unit === "crasher.service" && /ENOENT/.test(g.pattern))).toBe(true);
    expect(out.groups.some((g) => /handled request/.test(g.pattern))).toBe(false);
    const one = (await handlers.errors?.({ service: "web", sinceMinutes: 60 }, ctx)) as { clean: boolean };
    expect(one.clean).toBe(true);
  });
});

describe("restart", () => {
  it("restarts a healthy service, checks its health URL and reports the duration", async () => {
    const { handlers, ctx, port } = await setup();
    await h.adapters.systemd.start("web.service");
    const [before] = await h.adapters.systemd.status(["web.service"]);
    const out = (await handlers.restart?.({ service: "web" }, ctx)) as {
      durationMs: number;
      verified: { ok: boolean; pid: number; health: { ok: boolean; status: number } };
    };
    expect(out.verified.ok).toBe(true);
    expect(out.verified.health).toMatchObject({ ok: true, status: 200 });
    expect(out.verified.pid).not.toBe(before?.mainPid);
    expect(out.durationMs).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it("reports a service that does not come up, with its last log lines", async () => {
    const { handlers, ctx } = await setup();
    const err = await refusal(handlers.restart?.({ service: "crasher" }, ctx));
    expect(err).toBeInstanceOf(ActionError);
    const e = err as ActionError;
    expect(e.code).toBe("restart-failed");
    expect(e.message).toMatch(/crasher did not come up/);
    expect(String(e.details?.["logs"])).toMatch(/ENOENT: no such file or directory/);
  });

  it("fails the health check of a service that is up but unhealthy", async () => {
    h = createHarness();
    const port = await freePort();
    h.unit("sick", fixture("http-service.ts"), { env: { PORT: String(port), HEALTH: "fail" } });
    const inv = inventory({
      vms: { vm1: { services: [{ name: "sick", health: `http://127.0.0.1:${port}/health` }] } },
    });
    const err = await refusal(createHandlers(h.adapters).restart?.({ service: "sick" }, h.ctx(inv)));
    expect(err.code).toBe("restart-failed");
    expect(err.message).toMatch(/health check failed: HTTP 503/);
  });
});
