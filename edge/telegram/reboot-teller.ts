/**
 * Tells the Telegram user who asked for a reboot how it went, stage by stage, in their language:
 * went down, came back (with the time), or did not start / go down / come back. The first answer
 * (accepted or refused) is the desk's reply itself, so it is told here only when it came later.
 */
import type { Api } from "grammy";
import type { Lang } from "../core/desk.ts";
import { type RebootProgress, rebootReportText } from "../core/reboot-report.ts";
import { escapeHtml } from "./html.ts";

/** What the teller needs. */
export interface RebootTellerOptions {
  /** The bot's API, once there is a bot. */
  readonly api: () => Api | undefined;
  /** The VM as the operator knows it ("vm1 (main)"). */
  readonly label: (vm: string) => string;
  /** How long the desk's reply waits for the first answer (its stages are told here only after that). */
  readonly answerWaitMs: number;
}

/** A reboot's record as the teller reads it: its progress and who asked. */
export type ToldReboot = RebootProgress & { readonly actor: { readonly kind: string; readonly id: string } };

/** Creates the teller: `(vm, record) => Promise<void>`, a no-op for askers who are not Telegram users. */
export function createRebootTeller(options: RebootTellerOptions) {
  return async (vm: string, record: ToldReboot): Promise<void> => {
    const api = options.api();
    const chatId = Number(record.actor.id);
    if (!api || record.actor.kind !== "telegram" || !Number.isSafeInteger(chatId)) return;
    if (record.stage === "requested") return;
    const first = record.stage === "accepted" || record.stage === "not-started";
    if (first && record.at - record.requestedAt <= options.answerWaitMs) return;
    const lang: Lang = record.lang ?? "en";
    await api.sendMessage(chatId, escapeHtml(rebootReportText(record, options.label(vm), vm, lang)), {
      parse_mode: "HTML",
    });
  };
}
