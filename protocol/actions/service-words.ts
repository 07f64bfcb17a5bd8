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
  /** Why the check failed, typed so it is told in the operator's language (`reason` is the English form). */
  why: z
    .object({
      kind: z.enum(["failed", "no-unit", "not-active", "not-stable", "health", "stopped-after-health"]),
      result: z.string().optional(),
      state: z.string().optional(),
      error: z.string().optional(),
    })
    .nullable()
    .optional(),
});

/** Why a check after a change failed, as a clause in the operator's language ("" when nothing is known). */
export function reasonWords(v: Pick<Verification, "reason" | "why">, lang: Lang): string {
  const w = v.why;
  if (!w) return v.reason ? say(lang, `«${v.reason}»`, v.reason) : "";
  const state = w.state ?? "unknown";
  switch (w.kind) {
    case "failed":
      return say(
        lang,
        `юнит упал${w.result ? ` (итог systemd: ${w.result})` : ""}`,
        `the unit failed${w.result ? ` (${w.result})` : ""}`,
      );
    case "no-unit":
      return say(lang, "в systemd нет такого юнита", "systemd has no such unit");
    case "not-active":
      return say(
        lang,
        `юнит так и не заработал (сейчас ${stateWords(state, "ru")})`,
        `the unit is ${state}, not active`,
      );
    case "not-stable":
      return say(
        lang,
        `юнит не удержался (сейчас ${stateWords(state, "ru")})`,
        `the unit did not stay up (now ${state})`,
      );
    case "health":
      return say(
        lang,
        `проверка здоровья не прошла: «${w.error ?? "нет ответа"}»`,
        `the health check failed: ${w.error ?? "no answer"}`,
      );
    case "stopped-after-health":
      return say(
        lang,
        "юнит остановился после ответа на проверку здоровья",
        "the unit stopped after answering",
      );
  }
}

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
  const words = reasonWords(v, lang);
  const reason = words ? say(lang, ` (причина: ${words})`, ` (${words})`) : "";
  return say(
    lang,
    ` ⚠️ Проверка после изменения не прошла: сервис ${stateWords(v.state, "ru")}${health}${reason}.`,
    ` ⚠️ The check after the change failed: the service is ${stateWords(v.state, "en")}${health}${reason}.`,
  );
}
