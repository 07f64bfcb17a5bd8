/**
 * What a controller that cannot start says: the Worker's 503 when a core setting (tokens, keys,
 * inventory) is wrong, in the caller's language, with the setting's own words quoted as evidence.
 */
import type { Lang } from "../core/desk.ts";

/** A failure to start, in both languages. */
export interface ConfigFailure {
  readonly en: string;
  readonly ru: string;
}

/** The failure of an error thrown while starting: a ConfigError carries its Russian, anything else is quoted. */
export function configFailureOf(error: unknown): ConfigFailure {
  const en = error instanceof Error ? error.message : String(error);
  const carried: unknown = error instanceof Error ? Reflect.get(error, "ru") : undefined;
  const ru = typeof carried === "string" ? carried : `Ошибка при запуске: «${en}».`;
  return { en, ru };
}

/** The 503 body: a code and a whole sentence in the caller's language saying what to do. */
export function configFailureAnswer(
  failure: ConfigFailure | undefined,
  lang: Lang,
): { error: "configuration"; message: string } {
  const en = failure?.en ?? "the reason was not recorded.";
  const ru = failure?.ru ?? "причина не записана.";
  return {
    error: "configuration",
    message:
      lang === "ru"
        ? `voxops не может работать, потому что неверна настройка. ${ru.replace(/([^.!?»])$/, "$1.")} Исправьте её (wrangler secret put) и разверните снова (wrangler deploy).`
        : `voxops cannot serve because a setting is wrong: ${en.replace(/([^.!?])$/, "$1.")} Fix it (wrangler secret put) and deploy again (wrangler deploy).`,
  };
}
