import { afterEach, describe, expect, it } from "vitest";
import { createBot } from "../../edge/telegram/bot.ts";
import { type Polling, startPolling } from "../../edge/telegram/polling.ts";
import { alice, type Harness, startHarness, until } from "./harness.ts";

let h: Harness | undefined;
let polling: Polling | undefined;
afterEach(async () => {
  await polling?.stop();
  polling = undefined;
  await h?.close();
  h = undefined;
});

describe("long polling", () => {
  it("deletes any webhook, handles updates, and stops at once even while a 30 s long poll is open", async () => {
    h = await startHarness({}, false);
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      polling = startPolling(h!.bot, {
        timeoutSeconds: 30,
        onStart: resolve,
        onError: (e) => errors.push(e),
      });
    });
    expect(h.api.callsOf("deleteWebhook")).toHaveLength(1);
    const update = h.api.textUpdate(alice, "status");
    h.api.push(update);
    await until(() => h!.desk.texts.length === 1);
    await until(() => h!.api.state.waiters.size === 1); // the next long poll is open
    const started = performance.now();
    await polling?.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(h.bot.isRunning()).toBe(false);
    // Stopping confirms the handled update to the server, so a restart would not see it again.
    expect(h.api.callsOf("getUpdates").at(-1)?.params["offset"]).toBe(update.update_id + 1);
    h.api.push(h.api.textUpdate(alice, "status again"));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.desk.texts).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("reports a fatal refusal (wrong token) through onError and ends", async () => {
    h = await startHarness({}, false);
    const errors: unknown[] = [];
    const bot = createBot({
      token: "999:wrong-token-xyz",
      apiRoot: h.api.apiRoot,
      botInfo: h.api.botInfo,
      desk: h.desk,
      users: new Map(),
    });
    polling = startPolling(bot, { timeoutSeconds: 1, onError: (e) => errors.push(e) });
    await polling.done;
    expect(String(errors[0])).toContain("401");
    expect(String(errors[0])).not.toContain("wrong-token-xyz");
  });
});
