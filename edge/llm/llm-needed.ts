/** The answer to a code, config or free-form request when no LLM is configured: what is needed and how to set it up. */
import type { Lang } from "../../protocol/lang.ts";

/** Explains, in the operator's language, that this request needs an LLM and which variables configure one. */
export function llmNeededText(lang: Lang, problems: readonly string[] = []): string {
  const fix = problems.length > 0 ? problems.join("; ") : undefined;
  if (lang === "ru") {
    return [
      fix
        ? `LLM настроена с ошибками: ${fix}.`
        : "Для такого запроса нужна языковая модель (LLM), а она не настроена.",
      "Задайте переменные окружения: LLM_PROVIDER (anthropic, openai, groq или workers-ai), " +
        "LLM_API_KEY (ключ провайдера; для workers-ai не нужен — используется привязка AI), " +
        "по желанию LLM_MODEL и LLM_BASE_URL (любой OpenAI-совместимый адрес).",
      "Статус, логи, метрики, ошибки, перезапуск, бэкап, деплой и перезагрузка работают и без неё.",
    ].join(" ");
  }
  return [
    fix
      ? `The LLM is misconfigured: ${fix}.`
      : "This request needs a language model (LLM), and none is configured.",
    "Set LLM_PROVIDER (anthropic, openai, groq or workers-ai), LLM_API_KEY (the provider's key; " +
      "workers-ai needs none, it uses the AI binding), and optionally LLM_MODEL and LLM_BASE_URL " +
      "(any OpenAI-compatible endpoint).",
    "Status, logs, metrics, errors, restart, backup, deploy and reboot work without one.",
  ].join(" ");
}
