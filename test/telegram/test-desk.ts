/**
 * A TEST desk (test code only; the controller's real desk replaces it in end-to-end tests). It answers
 * a few commands and implements the confirmation semantics the bot must carry: one-time, expiring
 * (60 s by default, injected clock), requester only, refused after expiry, a second press refused.
 */
import type { Actor } from "../../edge/core/actors.ts";
import type { ButtonRequest, Desk, Lang, Reply, TextRequest } from "../../edge/core/desk.ts";

/** A test clock the tests move by hand. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

/** Creates a test clock starting at a fixed time. */
export function createTestClock(start = Date.UTC(2026, 10, 24, 12)): TestClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** What the test desk saw and did. */
export interface TestDesk extends Desk {
  readonly texts: TextRequest[];
  readonly buttons: ButtonRequest[];
  /** Actions that ran (after a valid confirmation, or at once for non-destructive ones). */
  readonly executed: { action: string; target: string; by: string }[];
  /** performance.now() at each handleText call, to check the echo came first. */
  readonly textCalledAt: number[];
}

interface Pending {
  readonly requester: Actor;
  readonly action: string;
  readonly target: string;
  readonly expiresAt: number;
  readonly lang: Lang;
  used: boolean;
}

/** Creates the test desk. */
export function createTestDesk(clock: TestClock, ttlMs = 60_000): TestDesk {
  const pending = new Map<string, Pending>();
  const texts: TextRequest[] = [];
  const buttons: ButtonRequest[] = [];
  const executed: TestDesk["executed"] = [];
  const textCalledAt: number[] = [];
  let seq = 0;
  const t = (lang: Lang, ru: string, en: string): Reply => ({ text: lang === "ru" ? ru : en, lang });

  return {
    texts,
    buttons,
    executed,
    textCalledAt,
    async handleText(request) {
      texts.push(request);
      textCalledAt.push(performance.now());
      const lang: Lang = request.lang ?? "en";
      const words = request.text.toLowerCase();
      if (/статус|status/.test(words)) {
        return t(
          lang,
          "vm1: 4/4 активны, нагрузка <1 & ок\nvm2: 4/4 активны",
          "vm1: 4/4 active, load <1 & ok\nvm2: 4/4 active",
        );
      }
      if (/перезапусти|restart/.test(words) && /voice|войс/.test(words)) {
        request.onProgress?.("restart grok-voice on vm1 …");
        await new Promise((resolve) => setTimeout(resolve, 30));
        request.onProgress?.("waiting for grok-voice to become active …");
        await new Promise((resolve) => setTimeout(resolve, 30));
        executed.push({ action: "restart", target: "grok-voice@vm1", by: request.actor.id });
        return t(lang, "✅ grok-voice активен (2.1 с)", "✅ grok-voice is active (2.1 s)");
      }
      if (/перезагрузи|reboot/.test(words) && /перв|first|vm1/.test(words)) {
        const id = String(++seq);
        pending.set(id, {
          requester: request.actor,
          action: "reboot",
          target: "vm1",
          expiresAt: clock.now() + ttlMs,
          lang,
          used: false,
        });
        return {
          ...t(
            lang,
            "⚠️ Перезагрузить vm1? Подтвердите в течение 60 с.",
            "⚠️ Reboot vm1? Confirm within 60 s.",
          ),
          buttons: [
            [
              { label: lang === "ru" ? "✅ Перезагрузить vm1" : "✅ Reboot vm1", data: `cf:${id}:y` },
              { label: lang === "ru" ? "Отмена" : "Cancel", data: `cf:${id}:n` },
            ],
          ],
          pendingConfirmation: true,
        };
      }
      return t(lang, "❓ Не понял команду.", "❓ I did not understand that.");
    },
    async handleButton(request) {
      buttons.push(request);
      const [, id = "", choice] = /^cf:(\d+):([yn])$/.exec(request.data) ?? [];
      const entry = pending.get(id);
      if (!entry) return { text: "❓ Unknown button.", lang: "en" };
      const lang = entry.lang;
      if (entry.used) return t(lang, "Уже обработано.", "Already handled.");
      if (request.actor.id !== entry.requester.id) {
        return t(
          lang,
          "⛔ Подтвердить может только тот, кто просил.",
          "⛔ Only the requester can confirm this.",
        );
      }
      entry.used = true;
      if (clock.now() > entry.expiresAt) {
        return t(
          lang,
          "⌛ Подтверждение истекло, ничего не сделано. Повторите команду.",
          "⌛ The confirmation expired; nothing ran. Ask again.",
        );
      }
      if (choice === "n") return t(lang, "Отменено.", "Cancelled.");
      executed.push({ action: entry.action, target: entry.target, by: request.actor.id });
      return t(lang, "✅ vm1 перезагружается.", "✅ vm1 is rebooting.");
    },
  };
}
