/** The systemd sandbox itself: a real unit starts, journald records it, polkit answers, a reboot ends it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installUnit, type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

describe("systemd sandbox (real systemd 252 as PID 1)", () => {
  let sbx: SystemdSandbox;
  beforeAll(async () => {
    sbx = await startSandbox("smoke");
  }, 60_000);
  afterAll(async () => {
    await sbx?.stop();
  });

  it("runs a unit and journald keeps what it prints", async () => {
    await installUnit(
      sbx,
      "hello-voxops.service",
      "[Service]\nType=oneshot\nExecStart=/bin/echo hello from a real unit\n",
    );
    await sbx.exec(["systemctl", "start", "hello-voxops.service"]);
    const out = await waitFor(async () => {
      const r = await sbx.run(["journalctl", "-u", "hello-voxops.service", "-o", "cat", "--no-pager"]);
      return r.stdout.includes("hello from a real unit") ? r.stdout : "";
    });
    expect(out).toContain("hello from a real unit");
    expect((await sbx.run(["systemctl", "is-system-running"])).stdout.trim()).toMatch(/running|degraded/);
  });

  it("ends when systemd inside reboots, as a VM does", async () => {
    const other = await startSandbox("reboot");
    try {
      expect(other.alive()).toBe(true);
      await other.run(["systemctl", "reboot"], { timeoutMs: 10_000 });
      await waitFor(() => !other.alive(), { timeoutMs: 20_000, what: "the sandbox to end" });
    } finally {
      await other.stop();
    }
  }, 40_000);
});
