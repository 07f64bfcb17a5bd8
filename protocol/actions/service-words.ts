/** A service's state and its check after a change, as sentences: the schemas the outputs share and their words. */
import * as z from "zod";
import { type Lang, say } from "../action-definition.ts";

/** A service's state as the sidecar reports it (systemd's words, folded: active, failed, restarting, …). */
export const serviceStateSchema = z.object({
  name: z.string(),
  unit: z.string(),
  state: z.string(),
  subState: z.string(),
  since: z.string().nullable(),
  pid: z.number().nullable(),
  memoryB: z.number().nullable(),
});

/** How a service was found after a restart, reload or deploy: active and healthy, or what was wrong. */
export const verificationSchema = z.object({
  ok: z.boolean(),
  state: z.string(),
  pid: z.number().nullable().optional(),
  health: z
    .object({ ok: z.boolean(), status: z.number().nullable().optional(), ms: z.number().optional() })
    .nullable()
    .optional(),
  reason: z.string().nullable().optional(),
});

/** The check after a change, as the sidecar reports it. */
export type Verification = z.infer<typeof verificationSchema>;

const ruStates: Readonly<Record<string, string>> = {
  active: "работает",
  failed: "упал",
  inactive: "остановлен",
  restarting: "перезапускается",
  activating: "запускается",
  deactivating: "останавливается",
  missing: "такого юнита нет",
  unknown: "состояние неизвестно",
};

const enStates: Readonly<Record<string, string>> = {
  active: "running",
  failed: "failed",
  inactive: "stopped",
  restarting: "restarting",
  activating: "starting",
  deactivating: "stopping",
  missing: "not installed (no such unit)",
  unknown: "in an unknown state",
};

/** A state in the operator's words: "running" / "работает" (systemd's "active/running" keeps its first part). */
export function stateWords(state: string, lang: Lang): string {
  const key = state.split("/")[0] ?? state;
  return (lang === "ru" ? ruStates[key] : enStates[key]) ?? (lang === "ru" ? `в состоянии ${state}` : state);
}

/** The check after a change as one sentence (with a leading space), or "" when there was none. */
export function verifiedSentence(v: Verification | null | undefined, lang: Lang): string {
  if (!v) return "";
  const health =
    typeof v.health?.status === "number"
      ? say(
          lang,
          `, проверка здоровья ответила ${v.health.status}`,
          `, its health check answered ${v.health.status}`,
        )
      : "";
  if (v.ok)
    return say(
      lang,
      ` Сервис ${stateWords(v.state, "ru")}${health}.`,
      ` The service is ${stateWords(v.state, "en")}${health}.`,
    );
  const reason = v.reason ? say(lang, ` (причина: «${v.reason}»)`, ` (${v.reason})`) : "";
  return say(
    lang,
    ` ⚠️ Проверка после изменения не прошла: сервис ${stateWords(v.state, "ru")}${health}${reason}.`,
    ` ⚠️ The check after the change failed: the service is ${stateWords(v.state, "en")}${health}${reason}.`,
  );
}
