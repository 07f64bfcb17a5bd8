/** The systemd and journald adapters against the stand-in, with real child processes. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { JournalEntry } from "../../sidecar/adapters/journal-entry.ts";
import { createHarness, fixture, freePort, type Harness, until } from "./harness.ts";

let h: Harness;
afterEach(() => h?.cleanup());

describe("systemd adapter on the stand-in", () => {
  it("starts a real HTTP service, reports its state, PID, memory and start time, restarts and stops it", async () => {
    h = createHarness();
    const port = await freePort();
    h.unit("web", fixture("http-service.ts"), { env: { PORT: String(port) } });
    const before = Date.now() - 1000;
    await h.adapters.systemd.start("web.service");
    const [s] = await h.adapters.systemd.status(["web.service"]);
    expect(s?.activeState).toBe("active");
    expect(s?.loaded).toBe(true);
    expect(s?.mainPid).toBeGreaterThan(0);
    expect(s?.since).toBeGreaterThanOrEqual(before);
    expect(
      await until(
        async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true,
      ),
    ).toBe(true);
    const [withMemory] = await h.adapters.systemd.status(["web.service"]);
    expect(withMemory?.memoryB).toBeGreaterThan(1_000_000);
    const firstPid = s?.mainPid ?? 0;
    await h.adapters.systemd.restart("web.service");
    const [after] = await h.adapters.systemd.status(["web.service"]);
    expect(after?.activeState).toBe("active");
    expect(after?.mainPid).not.toBe(firstPid);
    expect(() => process.kill(firstPid, 0)).toThrow();
    await h.adapters.systemd.stop("web.service");
    const [stopped] = await h.adapters.systemd.status(["web.service"]);
    expect(stopped?.activeState).toBe("inactive");
    expect(stopped?.mainPid).toBeNull();
  });

  it("reports a crashing service and one that cannot bind its port as failed units, with the reason in the journal", async () => {
    h = createHarness();
    const port = await freePort();
    h.unit("holder", fixture("http-service.ts"), { env: { PORT: String(port) } });
    h.unit("binder", fixture("bind-port-service.ts"), { env: { PORT: String(port) } });
    h.unit("crasher", fixture("crash-service.ts"));
    await h.adapters.systemd.start("holder.service");
    await until(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true);
    await h.adapters.systemd.start("binder.service");
    await h.adapters.systemd.start("crasher.service");
    expect(await until(async () => (await h.adapters.systemd.failedUnits()).length === 2, 8000)).toBe(true);
    expect((await h.adapters.systemd.failedUnits()).sort()).toEqual(["binder.service", "crasher.service"]);
    const [binder] = await h.adapters.systemd.status(["binder.service"]);
    expect(binder?.activeState).toBe("failed");
    expect(binder?.result).toBe("exit-code");
    const lines = await h.adapters.journal.tail("binder.service", 50);
    expect(lines.join("\n")).toMatch(/EADDRINUSE/);
    expect(lines.at(-1)).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:?\d{2} \S+ systemd\[1\]: binder\.service: Failed with result 'exit-code'\.$/,
    );
  });

  it("says so when a unit does not exist", async () => {
    h = createHarness();
    await expect(h.adapters.systemd.restart("nope.service")).rejects.toMatchObject({
      code: "unit-not-found",
    });
    const [s] = await h.adapters.systemd.status(["nope.service"]);
    expect(s?.loaded).toBe(false);
  });

  it("records a reboot request instead of rebooting", async () => {
    h = createHarness();
    await h.adapters.systemd.reboot({ force: true });
    const lines = readFileSync(join(h.standinDir, "reboot-requested"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ force: true });
  });
});

describe("journal adapter on the stand-in", () => {
  it("filters by priority and time, reads JSON fields, and follows new lines", async () => {
    h = createHarness();
    h.unit("errs", fixture("error-writer-service.ts"), { env: { ERROR_LINES: "4" } });
    const startedAt = Date.now();
    await h.adapters.systemd.start("errs.service");
    await until(async () => (await h.adapters.journal.entries({ units: ["errs.service"] })).length >= 13);
    const all = await h.adapters.journal.entries({ units: ["errs.service"] });
    const errs = await h.adapters.journal.entries({ units: ["errs.service"], priority: 3 });
    expect(errs).toHaveLength(4);
    expect(errs.every((e) => e.priority === 3 && e.unit === "errs.service" && e.pid !== null)).toBe(true);
    expect(errs[0]?.message).toMatch(/^payment 1001 failed/);
    expect(all.some((e) => e.priority === 6 && e.message.startsWith("Error: connection to db refused"))).toBe(
      true,
    );
    expect(
      await h.adapters.journal.entries({ units: ["errs.service"], sinceMs: Date.now() + 60_000 }),
    ).toEqual([]);
    expect(
      (await h.adapters.journal.entries({ units: ["errs.service"], sinceMs: startedAt - 1000 })).length,
    ).toBe(all.length);
    expect(await h.adapters.journal.entries({ units: ["errs.service"], lines: 2 })).toHaveLength(2);

    const seen: JournalEntry[] = [];
    const follow = h.adapters.journal.follow({ units: ["errs.service"], onEntry: (e) => seen.push(e) });
    await follow.ready;
    expect(seen).toEqual([]);
    await h.adapters.systemd.stop("errs.service");
    expect(await until(() => seen.some((e) => e.message.startsWith("Stopped ")))).toBe(true);
    await follow.stop();
  });

  it("vacuums the journal down to a size", async () => {
    h = createHarness();
    h.unit("errs", fixture("error-writer-service.ts"), { env: { ERROR_LINES: "40" } });
    await h.adapters.systemd.start("errs.service");
    await until(async () => (await h.adapters.journal.entries({ units: ["errs.service"] })).length > 100);
    await h.adapters.systemd.stop("errs.service");
    const file = join(h.standinDir, "journal", "errs.service.jsonl");
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).length).toBeGreaterThan(8192);
    const report = await h.adapters.journal.vacuum(8192);
    expect(report).toMatch(/Vacuuming done/);
    const left = readFileSync(file, "utf8");
    expect(left.length).toBeLessThanOrEqual(8192);
    expect(left).toMatch(/Stopped Test service errs/);
  });
});
