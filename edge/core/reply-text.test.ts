import { describe, expect, it } from "vitest";
import type { CommandOutcome } from "./controller.ts";
import { outcomeText } from "./reply-text.ts";

const interrupted = {
  ok: false,
  vm: "vm1",
  action: "restart",
  error: {
    code: "interrupted",
    message: "the sidecar restarted while this command ran; it was not run again",
    retryable: false,
  },
} as unknown as CommandOutcome;

describe("a command cut off by a sidecar crash", () => {
  it("reads as interrupted, not failed, with the next step, in both languages", () => {
    expect(outcomeText(interrupted, "en")).toBe(
      '⚠️ vm1: the restart was interrupted — the sidecar restarted while it ran and did not run it again. Check the state now with "status vm1".',
    );
    expect(outcomeText(interrupted, "ru")).toMatch(/^⚠️ vm1: перезапуск — прервано: .*«статус vm1»\.$/);
    expect(outcomeText(interrupted, "en")).not.toMatch(/failed/);
  });

  it("says the unit's state now when the VM could be asked", () => {
    const withState = {
      ...interrupted,
      output: { stateNow: { name: "web", state: "active", since: "2026-11-30T18:00:00.000Z" } },
    } as unknown as CommandOutcome;
    expect(outcomeText(withState, "en")).toBe(
      "⚠️ vm1: the restart was interrupted — the sidecar restarted while it ran and did not run it again. web on vm1 is active now (since 2026-11-30T18:00:00.000Z).",
    );
    expect(outcomeText(withState, "ru")).toMatch(
      /прервано: .* Сейчас web на vm1: active с 2026-11-30T18:00:00\.000Z\.$/,
    );
  });
});

describe("an answer the controller cannot read", () => {
  it("says so with the sidecar's version and what to do, in the operator's language, never as JSON", () => {
    const odd = {
      ok: true,
      vm: "vm2",
      action: "metrics",
      output: { vm: "vm2", disks: "full" },
      durationMs: 5,
    };
    const en = outcomeText(odd as unknown as CommandOutcome, "en", { sidecarVersion: "0.0.9" });
    expect(en).toBe(
      "⚠️ vm2: the VM's sidecar answered the collecting metrics in a form this controller does not understand (sidecar version 0.0.9). Update the sidecar on vm2 to the controller's version and try again; until then the audit log has the raw result.",
    );
    const ru = outcomeText(odd as unknown as CommandOutcome, "ru", { sidecarVersion: "0.0.9" });
    expect(ru).toMatch(
      /^⚠️ vm2: сайдкар VM ответил на «сбор метрик» в форме, которую этот контроллер не понимает \(версия сайдкара 0\.0\.9\)\./,
    );
    expect(ru).not.toContain("{");
  });
});
