/**
 * The caller's language on the `/agent/*` API and the API's own refusals in it: `lang` from the
 * query or the JSON body, else the Accept-Language header, else English. Every refusal the routes
 * answer themselves (not through the desk, which speaks `lang` already) is a sentence here, in both.
 */
import type { Context } from "hono";
import type { Lang } from "./desk.ts";
import { jsonBody } from "./json-body.ts";

/** The language a request asks for: `?lang=`, then `"lang"` in a JSON body, then Accept-Language; English by default. */
export async function callerLang(c: Context): Promise<Lang> {
  const query = c.req.query("lang");
  if (query === "ru" || query === "en") return query;
  if (c.req.method !== "GET" && /json/i.test(c.req.header("content-type") ?? "")) {
    // The text, not c.req.json(): Hono keeps it for the route, and a body that is not JSON does not
    // spoil it (the route then answers that in this language).
    const lang = await jsonBody(c)
      .then((body) => body["lang"])
      .catch(() => undefined);
    if (lang === "ru" || lang === "en") return lang;
  }
  return acceptLanguage(c.req.header("accept-language"));
}

/** Russian or English from an Accept-Language header, by its q-values (RFC 9110 section 12.5.4); English otherwise. */
export function acceptLanguage(header: string | undefined): Lang {
  let best: { lang: Lang; q: number } | undefined;
  for (const part of (header ?? "").split(",").slice(0, 20)) {
    const [tag = "", ...params] = part.trim().toLowerCase().split(";");
    const q = Number(params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined) ?? 1);
    const primary = tag.split("-")[0];
    const lang = primary === "ru" ? "ru" : primary === "en" ? "en" : undefined;
    if (lang && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? "en";
}

/** The refusals the API answers itself, each a sentence per language; `{x}` are filled from `vars`. */
const refusals = {
  "no-token": [
    "Нужен API-токен в заголовке «Authorization: Bearer <токен>» (npm start пишет, где лежит локальный).",
    "Send an API token as 'Authorization: Bearer <token>' (npm start prints where the local one is kept).",
  ],
  "invalid-token": [
    "Этот API-токен недействителен: проверьте VOXOPS_API_TOKENS контроллера.",
    "This API token is not valid: check the controller's VOXOPS_API_TOKENS.",
  ],
  "bad-json": [
    'Тело запроса — не JSON: пришлите объект JSON, например {"vm": "vm1"}.',
    'The request body is not valid JSON: send a JSON object such as {"vm": "vm1"}.',
  ],
  internal: [
    "Контроллер не смог ответить на этот запрос. Подробности в его журнале под номером запроса {requestId}.",
    "The controller failed to answer this request. Its log has the details under request id {requestId}.",
  ],
  "no-route": [
    "Нет маршрута {method} {path}: список есть в /agent/openapi.json.",
    "There is no route {method} {path}: /agent/openapi.json lists them.",
  ],
  "needs-operator": [
    "Результаты команд доступны роли operator и выше; у этого токена роль {role}.",
    "Command results need the operator role or higher; this token's role is {role}.",
  ],
  "needs-admin": [
    "Журнал аудита доступен только роли admin; у этого токена роль {role}.",
    "The audit log needs the admin role; this token's role is {role}.",
  ],
  "no-command": [
    "Команды с номером {id} нет (или она уже забыта).",
    "There is no command with id {id} (or it has been forgotten).",
  ],
  "unknown-vm": [
    "VM «{vm}» нет в инвентаре. Известные VM: {known}.",
    'There is no VM called "{vm}" in the inventory. Known VMs: {known}.',
  ],
  "no-reboot": ["Перезагрузку {vm} не запрашивали.", "No reboot of {vm} was asked."],
  "too-large": [
    "Тело запроса больше {kb} КБ — больше, чем принимает этот контроллер; пришлите тело поменьше.",
    "The request body is larger than {kb} KB, the most this controller accepts; send a smaller body.",
  ],
} as const satisfies Record<string, readonly [string, string]>;

/** A refusal the API answers itself. */
export type RefusalKind = keyof typeof refusals;

/** The sentence for a refusal in a language, with `vars` filled in (each clipped to 80 characters). */
export function refusalSentence(
  kind: RefusalKind,
  lang: Lang,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  const [ru, en] = refusals[kind];
  return (lang === "ru" ? ru : en).replace(/\{(\w+)\}/g, (whole, name: string) =>
    vars[name] === undefined ? whole : String(vars[name]).slice(0, 80),
  );
}

/** Every refusal kind, for tests that cover them all. */
export const refusalKinds = Object.keys(refusals) as RefusalKind[];
