/**
 * Every sentence the MCP server and its `/mcp` route word themselves, in Russian and English. The
 * language is the tool call's `lang`, else the session's (Accept-Language when it was opened), else English.
 */
import { acceptLanguage } from "../core/api-language.ts";
import type { Lang } from "../core/desk.ts";

/** Each sentence as [Russian, English]; `{x}` are filled from the call's values. */
const texts = {
  "no-stream": [
    "Этот сервер не открывает отдельный поток: отправляйте сообщения JSON-RPC методом POST.",
    "This server sends no standalone stream; POST JSON-RPC messages.",
  ],
  "session-ended": [
    "Этот сеанс MCP закончился (или сервер перезапустился): начните новый.",
    "This MCP session has ended (or the server restarted); start a new one.",
  ],
  "session-other-token": [
    "Этот сеанс MCP открыт с другим API-токеном.",
    "This MCP session was opened with another API token.",
  ],
  "no-text": [
    "Скажите, что сделать, в аргументе text, например «статус основной VM».",
    "Say what to do in the text argument, e.g. 'status of the main VM'.",
  ],
  "no-id": [
    "Укажите id подтверждения — его назвал ответ действия.",
    "Give the confirmation's id, as the action's answer named it.",
  ],
  "no-tool": [
    "Инструмента «{name}» нет: список инструментов показывает действия, которые предлагает voxops.",
    'There is no tool called "{name}". List the tools to see the actions voxops offers.',
  ],
  "not-confirmed": [
    "Человек не подтвердил; ничего не выполнено.",
    "Not confirmed by the human; nothing was run.",
  ],
  "confirm-with-tool": [
    "Подтвердите инструментом confirm с id {id}.",
    "Confirm with the confirm tool and id {id}.",
  ],
  "needs-admin": [
    "Журнал аудита доступен только роли admin; у этого API-токена роль ниже.",
    "The audit log needs the admin role; this API token has a lower one.",
  ],
  "no-resource": [
    "Ресурса {uri} нет: список ресурсов показывает, какие есть.",
    "There is no resource {uri}; list the resources to see them.",
  ],
  "no-vm": ["VM «{vm}» нет; есть VM: {known}.", 'There is no VM called "{vm}"; the VMs are {known}.'],
} as const satisfies Record<string, readonly [string, string]>;

/** A sentence the MCP server words itself. */
export type McpTextKind = keyof typeof texts;

/** Every kind, for tests that cover them all. */
export const mcpTextKinds = Object.keys(texts) as McpTextKind[];

/** The sentence for `kind` in `lang`, with `vars` filled in (each clipped to 200 characters). */
export function mcpText(
  kind: McpTextKind,
  lang: Lang,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  const [ru, en] = texts[kind];
  return (lang === "ru" ? ru : en).replace(/\{(\w+)\}/g, (whole, name: string) =>
    vars[name] === undefined ? whole : String(vars[name]).slice(0, 200),
  );
}

/** A tool call's language: its `lang` argument when it is ru or en, else the session's. */
export function callLang(value: unknown, session: Lang): Lang {
  return value === "ru" || value === "en" ? value : session;
}

/** A session's language from the request that opened it: Accept-Language, English by default. */
export function sessionLang(acceptLanguageHeader: string | undefined): Lang {
  return acceptLanguage(acceptLanguageHeader);
}
