/** An LLM call's failure as the operator reads it: what happened, in their language, and what to do. */

import { say } from "../../protocol/action-definition.ts";
import type { Lang } from "../../protocol/lang.ts";
import type { LlmError } from "./llm-error.ts";

/** One sentence or two about `error`; the provider's own words, when shown, are quoted. */
export function llmErrorText(error: LlmError, lang: Lang): string {
  const p = error.provider;
  switch (error.kind) {
    case "not-configured":
      return say(
        lang,
        `Языковая модель настроена с ошибкой: «${error.message}». Исправьте LLM_PROVIDER и LLM_API_KEY.`,
        `The language model is misconfigured: "${error.message}". Fix LLM_PROVIDER and LLM_API_KEY.`,
      );
    case "timeout":
      return say(
        lang,
        `Языковая модель (${p}) не ответила вовремя. Попробуйте ещё раз через минуту.`,
        `The language model (${p}) did not answer in time. Try again in a minute.`,
      );
    case "aborted":
      return say(
        lang,
        "Запрос к языковой модели отменён.",
        "The request to the language model was cancelled.",
      );
    case "rate-limited": {
      const s = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
      return say(
        lang,
        `Языковая модель (${p}) ограничивает частоту запросов${s === undefined ? "" : ` и просит подождать ${s} с`}. Повторите позже.`,
        `The language model (${p}) is rate limiting${s === undefined ? "" : ` and asks to wait ${s} s`}. Try again later.`,
      );
    }
    case "http":
      return say(
        lang,
        `Языковая модель (${p}) ответила ошибкой${error.status === undefined ? "" : ` ${error.status}`}: «${error.message}».${error.retryable ? " Попробуйте ещё раз позже." : " Проверьте ключ и модель."}`,
        `The language model (${p}) answered with an error${error.status === undefined ? "" : ` ${error.status}`}: "${error.message}".${error.retryable ? " Try again later." : " Check the key and the model."}`,
      );
    case "network":
      return say(
        lang,
        `Языковая модель (${p}) недоступна по сети: «${error.message}». Попробуйте ещё раз позже.`,
        `The language model (${p}) could not be reached: "${error.message}". Try again later.`,
      );
    case "bad-response":
      return say(
        lang,
        `Языковая модель (${p}) ответила не в своём формате: «${error.message}». Попробуйте ещё раз или другую модель.`,
        `The language model (${p}) answered in a shape it should not: "${error.message}". Try again or another model.`,
      );
  }
}
