import { afterEach, describe, expect, it } from "vitest";
import {
  admin,
  createDeskBench,
  type DeskBench,
  operator,
  otherAdmin,
  viewer,
} from "../../test/desk/desk-bench.ts";
import type { Reply } from "./desk.ts";

let b: DeskBench;
afterEach(() => b?.close());

function bench(options: Parameters<typeof createDeskBench>[0] = {}): DeskBench {
  b = createDeskBench(options);
  b.connect("vm1");
  b.connect("vm2");
  return b;
}

const buttonData = (reply: Reply): string[] => (reply.buttons ?? []).flat().map((x) => x.data);
const confirmId = (reply: Reply): string => {
  const data = buttonData(reply).find((d) => d.startsWith("cf:"));
  if (!data) throw new Error(`no confirm button in: ${reply.text}`);
  return data.slice(3);
};

describe("a VM the inventory does not have", () => {
  it("is named back with the known VMs, in the operator's language, and nothing is asked or run", async () => {
    bench();
    for (const [text, expected] of [
      ["reboot vm9", 'I don\'t know a VM called "vm9"; nothing was run. Known VMs: vm1 (main), vm2 (hub).'],
      [
        "перезагрузи машину zzz",
        "Не знаю машины «zzz»; ничего не запускаю. Известные машины: vm1 (main), vm2 (hub).",
      ],
    ] as const) {
      const reply = await b.desk.handleText({ actor: admin, text });
      expect(reply.text).toBe(expected);
      expect(buttonData(reply)).toEqual([]);
      expect(reply.pendingConfirmation).toBeFalsy();
    }
    expect(b.sent).toEqual([]);
  });
});

describe("words to actions", () => {
  it("restarts a service named by its alias on the one VM that runs it", async () => {
    bench();
    const reply = await b.desk.handleText({ actor: admin, text: "Перезапусти voice сервис" });
    expect(b.sent).toEqual([{ vm: "vm1", action: "restart", args: { service: "grok-voice" } }]);
    expect(reply.lang).toBe("ru");
    expect(reply.text).toBe(
      "→ перезапуск grok-voice на vm1 (main)\n✅ grok-voice на vm1 перезапущен за 2.1 с. Сервис работает.",
    );
  });

  it("answers in English to English words", async () => {
    bench();
    const reply = await b.desk.handleText({ actor: admin, text: "restart grok voice please" });
    expect(reply.lang).toBe("en");
    expect(reply.text).toContain("✅ grok-voice on vm1 restarted in 2.1 s. The service is running.");
  });

  it("runs nothing for a negated command, and audits that it understood so", async () => {
    bench();
    for (const text of ["Не перезагружай первую машину", "don't restart grok-voice"]) {
      const reply = await b.desk.handleText({ actor: admin, text });
      expect(reply.text).toMatch(/^(Понял: ничего не делаю\.|Understood: doing nothing\.)$/);
      expect(reply.buttons).toBeUndefined();
    }
    expect(b.sent).toEqual([]);
    const nothing = b.controller.audit.recent(20).filter((r) => r.action === "understand");
    expect(nothing).toHaveLength(2);
  });

  it("asks which VM, with a button per VM, when the service runs on two; a button runs it there", async () => {
    bench();
    const asked = await b.desk.handleText({ actor: operator, text: "перезапусти nginx" });
    expect(b.sent).toEqual([]);
    expect(asked.text).toBe("На какой машине? (перезапуск nginx)");
    expect(asked.buttons).toEqual([
      [
        { label: "vm1 (main)", data: "do:restart:vm1:nginx" },
        { label: "vm2 (hub)", data: "do:restart:vm2:nginx" },
      ],
    ]);
    const ran = await b.desk.handleButton({ actor: operator, data: "do:restart:vm2:nginx", lang: "ru" });
    expect(b.sent).toEqual([{ vm: "vm2", action: "restart", args: { service: "nginx" } }]);
    expect(ran.text).toContain("✅ nginx на vm2 перезапущен");
  });

  it("a `do:` button still passes the gate: a viewer cannot restart through it", async () => {
    bench();
    const reply = await b.desk.handleButton({ actor: viewer, data: "do:restart:vm1:nginx", lang: "en" });
    expect(reply.text).toBe('⛔ "restart" needs the operator role; you are viewer. Ask an admin.');
    expect(b.sent).toEqual([]);
  });

  it("a forged `do:` button with shell characters is refused and audited", async () => {
    bench();
    const reply = await b.desk.handleButton({ actor: admin, data: "do:restart:vm1:x;reboot", lang: "en" });
    expect(reply.text).toMatch(/^⚠️ /);
    expect(b.sent).toEqual([]);
    const refused = b.controller.audit.recent(10).find((r) => r.outcome === "refused: invalid");
    expect(refused).toMatchObject({ action: "restart", target: "vm1", args: { service: "x;reboot" } });
  });

  it("runs a fleet-wide read on every VM", async () => {
    bench();
    const reply = await b.desk.handleText({ actor: viewer, text: "Проверь статус всех сервисов" });
    expect(b.sent.map((c) => `${c.vm}:${c.action}`).sort()).toEqual(["vm1:status", "vm2:status"]);
    expect(reply.text).toContain("🖥 vm1: нагрузка 0.10 0.20 0.30");
    expect(reply.text).toContain("🖥 vm2:");
  });
});

describe("a reboot", () => {
  it("reads back the VM, its role and its heartbeat age before anything runs", async () => {
    bench();
    b.clock.advance(4_000);
    const ru = await b.desk.handleText({ actor: admin, text: "Перезагрузи вторую машину" });
    expect(ru.text).toBe(
      "❓ Перезагрузить vm2 (hub)? Последний сигнал 4 с назад.\nПодтвердите в течение 60 с.",
    );
    expect(ru.pendingConfirmation).toBe(true);
    const en = await b.desk.handleText({ actor: admin, text: "Reboot the first machine" });
    expect(en.text).toBe("❓ Reboot vm1 (main)? Last heartbeat 4 s ago.\nConfirm within 60 s.");
    expect(buttonData(en)).toEqual([`cf:${confirmId(en)}`, `cx:${confirmId(en)}`]);
    expect(b.sent).toEqual([]);
  });

  it("says when a VM never sent a heartbeat", async () => {
    b = createDeskBench();
    b.connect("vm1");
    const reply = await b.desk.handleText({ actor: admin, text: "Reboot the second VM" });
    expect(reply.text).toContain("Reboot vm2 (hub)? No heartbeat yet.");
  });

  it("runs once for the requester; refused to another user, to a second press, and after a cancel", async () => {
    bench();
    const asked = await b.desk.handleText({ actor: admin, text: "Перезагрузи первую машину" });
    const id = confirmId(asked);
    const other = await b.desk.handleButton({ actor: otherAdmin, data: `cf:${id}`, lang: "en" });
    expect(other.text).toBe("Only the person who asked can confirm this.");
    expect(b.sent).toEqual([]);
    const done = await b.desk.handleButton({ actor: admin, data: `cf:${id}`, lang: "ru" });
    expect(b.sent).toEqual([{ vm: "vm1", action: "reboot", args: { mode: "soft" } }]);
    expect(done.text).toBe(
      "→ перезагрузка на vm1 (main)\n🔄 vm1 перезагружается; спросите «статус vm1» через минуту.",
    );
    const again = await b.desk.handleButton({ actor: admin, data: `cf:${id}`, lang: "ru" });
    expect(again.text).toBe("Уже подтверждено, второй раз не выполняю.");
    expect(b.sent).toHaveLength(1);

    const second = await b.desk.handleText({ actor: admin, text: "Reboot the second VM" });
    const cancelled = await b.desk.handleButton({
      actor: admin,
      data: `cx:${confirmId(second)}`,
      lang: "en",
    });
    expect(cancelled.text).toBe("Cancelled.");
    const late = await b.desk.handleButton({ actor: admin, data: `cf:${confirmId(second)}`, lang: "en" });
    expect(late.text).toBe("This command was cancelled.");
    expect(b.sent).toHaveLength(1);
  });

  it("expires after the desk's confirmation time", async () => {
    bench({ confirmTtlMs: 5_000 });
    const asked = await b.desk.handleText({ actor: admin, text: "Reboot the first machine" });
    expect(asked.text).toContain("Confirm within 5 s.");
    b.clock.advance(5_001);
    const late = await b.desk.handleButton({ actor: admin, data: `cf:${confirmId(asked)}`, lang: "en" });
    expect(late.text).toBe("This confirmation has expired. Send the command again.");
    expect(b.sent).toEqual([]);
  });

  it("goes through the reboot port (the watchdog) when there is one", async () => {
    const requests: { vm: string; actor: string; reason: string; mode: string | undefined }[] = [];
    bench({
      reboot: async ({ vm, actor, reason, mode }) => {
        requests.push({ vm, actor: actor.id, reason, mode });
        return { accepted: true, text: { ru: `Перезагружаю ${vm}.`, en: `Rebooting ${vm}.` } };
      },
    });
    const asked = await b.desk.handleText({ actor: admin, text: "Reboot the first machine" });
    const done = await b.desk.handleButton({ actor: admin, data: `cf:${confirmId(asked)}`, lang: "en" });
    expect(done.text).toBe("→ reboot on vm1 (main)\nRebooting vm1.");
    expect(requests).toEqual([
      { vm: "vm1", actor: "1001", reason: "text: Reboot the first machine", mode: "soft" },
    ]);
    // A confirmed hard reset reaches the port as hard, not silently as soft.
    const hard = await b.desk.submit(admin, {
      action: "reboot",
      args: { mode: "hard" },
      vms: ["vm2"],
      lang: "en",
    });
    expect(hard.kind === "confirm" && hard.readBack).toMatch(/^Hard-reset vm2 \(hub\)\?/);
    if (hard.kind !== "confirm") throw new Error("expected a confirmation");
    await b.desk.confirm(admin, hard.id);
    expect(requests[1]).toMatchObject({ vm: "vm2", mode: "hard" });
    expect(b.sent).toEqual([]);
  });

  it("is refused to a viewer and an operator by role, with no confirmation", async () => {
    bench();
    for (const actor of [viewer, operator]) {
      const reply = await b.desk.handleText({ actor, text: "Reboot the first machine" });
      expect(reply.text).toMatch(
        /^⛔ "reboot" needs the admin role; you are (viewer|operator)\. Ask an admin\.$/,
      );
      expect(reply.buttons).toBeUndefined();
    }
    expect(b.sent).toEqual([]);
  });
});

describe("submit (the API's entry)", () => {
  it("skips the confirmation for a token allowed to, and audits that it did", async () => {
    bench();
    const result = await b.desk.submit(admin, {
      action: "reboot",
      args: {},
      vms: ["vm2"],
      lang: "en",
      skipConfirm: true,
    });
    expect(result.kind).toBe("done");
    expect(b.sent).toEqual([{ vm: "vm2", action: "reboot", args: { mode: "soft" } }]);
    expect(b.controller.audit.recent(10).some((r) => r.outcome === "confirmation-skipped")).toBe(true);
  });

  it("refuses unknown VMs and invalid arguments, and audits both", async () => {
    bench();
    const vm = await b.desk.submit(admin, { action: "status", args: {}, vms: ["vm9"], lang: "en" });
    expect(vm).toEqual({ kind: "invalid", message: "No such VM: vm9." });
    const args = await b.desk.submit(admin, {
      action: "logs",
      args: { service: "../../etc/passwd" },
      vms: ["vm1"],
      lang: "en",
    });
    expect(args.kind).toBe("invalid");
    expect(b.controller.audit.recent(10).filter((r) => r.outcome === "refused: invalid")).toHaveLength(2);
    expect(b.sent).toEqual([]);
  });

  it("confirm() refuses an unknown id", async () => {
    bench();
    const result = await b.desk.confirm(admin, "no-such-id");
    expect(result).toMatchObject({ kind: "refused", refusal: "unknown" });
  });

  it("an unknown button no longer works", async () => {
    bench();
    const reply = await b.desk.handleButton({ actor: admin, data: "zz:1", lang: "ru" });
    expect(reply.text).toBe("Эта кнопка больше не действует.");
  });
});
