/** Reports, relayed words and questions about an action run nothing; the same words as a request still do. */
import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import evalInventory from "./fixtures/eval-inventory.json" with { type: "json" };
import { createUnderstander } from "./understand.ts";

const parsed = parseInventory(evalInventory);
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const u = createUnderstander(parsed.inventory);

describe("reports and questions about an action", () => {
  it.each([
    ["did you restart nginx", "question"],
    ["do you restart services automatically", "question"],
    ["could you reboot?", "question"],
    ["ты перезапустил nginx?", "report"],
    ["I restarted nginx yesterday", "report"],
    ["вася сказал перезапусти nginx", "report"],
    ["the backup finished an hour ago", "report"],
    ["деплой прошел успешно", "report"],
    ["the restart of nginx failed", "report"],
    ["перезапуск энджинкса не помог", "report"],
  ])("%s runs nothing (%s)", (text, reason) => {
    const got = u.understand(text);
    expect(got.intent).toBe("unknown");
    expect(got.reason).toBe(reason);
  });
  it.each([
    "reboot the hub tomorrow at 3",
    "перезагрузка хаба завтра в три",
    "maybe restart nginx",
    "я думаю надо перезапустить энджинкс",
    "restart nginx or not",
  ])("%s waits on a time or a doubt: nothing runs", (text) => {
    expect(u.understand(text).intent).toBe("unknown");
  });
  it.each([
    ["перезагрузка хаба", "reboot"],
    ["restart nginx it crashed", "restart"],
    ["can you restart nginx on vm1", "restart"],
    ["я сказал перезапусти nginx на первой", "restart"],
    ["restart memcached on both boxes", "restart"],
    ["Did grok-voice crash?", "errors"],
  ])("%s is still understood as %s", (text, intent) => {
    expect(u.understand(text).intent).toBe(intent);
  });
});
