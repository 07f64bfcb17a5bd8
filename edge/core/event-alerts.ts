/** Turns events from sidecars (findings, fixes applied or failed, auto-fix paused) into operator alerts. */
import type { EventFrame } from "../protocol/frames.ts";
import type { Alert, ReplyButton } from "./desk.ts";

const str = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);

/** The alert for an event, or undefined for events the operator need not see. */
export function eventAlert(vm: string, frame: EventFrame): Alert | undefined {
  const d = frame.data;
  const service = str(d["service"]);
  const rule = str(d["rule"]);
  const summary = str(d["summary"] ?? d["message"]).slice(0, 600);
  const buttons: ReplyButton[][] = service
    ? [
        [
          { label: "📜 logs", data: `do:logs:${vm}:${service}`.slice(0, 64) },
          { label: "🔄 restart", data: `do:restart:${vm}:${service}`.slice(0, 64) },
        ],
        [{ label: "🩺 fix", data: `do:fix:${vm}:${service}`.slice(0, 64) }],
      ]
    : [[{ label: "📊 status", data: `do:status:${vm}` }]];
  const where = service ? `${service} @ ${vm}` : vm;
  switch (frame.kind) {
    case "fix.applied":
      return {
        key: `${vm}:${service}:${rule}:applied`,
        severity: "info",
        text: {
          ru: `🛠 ${where}: исправлено (${rule}). ${summary}`,
          en: `🛠 ${where}: fixed (${rule}). ${summary}`,
        },
        buttons,
      };
    case "fix.failed":
      return {
        key: `${vm}:${service}:${rule}:failed`,
        severity: "critical",
        text: {
          ru: `❌ ${where}: исправление не помогло (${rule}). ${summary}`,
          en: `❌ ${where}: the fix did not work (${rule}). ${summary}`,
        },
        buttons,
      };
    case "autofix.paused":
      return {
        key: `${vm}:${service}:paused`,
        severity: "critical",
        text: {
          ru: `⏸ ${where}: автоисправление остановлено. ${summary}`,
          en: `⏸ ${where}: auto-fix stopped. ${summary}`,
        },
        buttons,
      };
    case "finding":
      if (d["known"] === true || d["planned"] === true) return undefined;
      return {
        key: `${vm}:${service}:finding:${rule}`,
        severity: "warning",
        text: { ru: `⚠️ ${where}: ${summary}`, en: `⚠️ ${where}: ${summary}` },
        buttons,
      };
    case "peer.down":
      return {
        key: `${vm}:peer`,
        severity: "warning",
        text: { ru: `⚠️ ${vm}: не видит соседа. ${summary}`, en: `⚠️ ${vm} cannot reach its peer. ${summary}` },
      };
    default:
      return undefined;
  }
}
