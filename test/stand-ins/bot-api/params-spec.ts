/**
 * Which parameters each Bot API method the stand-in supports takes, and their types; values are
 * coerced as Telegram does (form fields are strings; objects arrive as JSON text). Test code.
 */
import type { ParamValue, Upload } from "./params.ts";

/** A parameter's type. */
export type Kind = "int" | "string" | "bool" | "chat" | "json" | "file";

/** A method's parameters: name → [type, required]. */
export type MethodSpec = Readonly<Record<string, readonly [Kind, boolean]>>;

const chat = ["chat", true] as const;
const sendOptions = {
  parse_mode: ["string", false],
  reply_markup: ["json", false],
  reply_parameters: ["json", false],
  disable_notification: ["bool", false],
  protect_content: ["bool", false],
  message_thread_id: ["int", false],
  business_connection_id: ["string", false],
} as const;

/** The methods the stand-in implements. */
export const methodSpecs: Readonly<Record<string, MethodSpec>> = {
  getMe: {},
  logOut: {},
  close: {},
  getUpdates: {
    offset: ["int", false],
    limit: ["int", false],
    timeout: ["int", false],
    allowed_updates: ["json", false],
  },
  setWebhook: {
    url: ["string", true],
    secret_token: ["string", false],
    drop_pending_updates: ["bool", false],
    allowed_updates: ["json", false],
    max_connections: ["int", false],
  },
  deleteWebhook: { drop_pending_updates: ["bool", false] },
  getWebhookInfo: {},
  sendMessage: {
    chat_id: chat,
    text: ["string", true],
    entities: ["json", false],
    link_preview_options: ["json", false],
    ...sendOptions,
  },
  editMessageText: {
    chat_id: ["chat", false],
    message_id: ["int", false],
    inline_message_id: ["string", false],
    text: ["string", true],
    parse_mode: ["string", false],
    entities: ["json", false],
    link_preview_options: ["json", false],
    reply_markup: ["json", false],
  },
  editMessageReplyMarkup: {
    chat_id: ["chat", false],
    message_id: ["int", false],
    inline_message_id: ["string", false],
    reply_markup: ["json", false],
  },
  answerCallbackQuery: {
    callback_query_id: ["string", true],
    text: ["string", false],
    show_alert: ["bool", false],
    url: ["string", false],
    cache_time: ["int", false],
  },
  sendChatAction: {
    chat_id: chat,
    action: ["string", true],
    message_thread_id: ["int", false],
    business_connection_id: ["string", false],
  },
  sendVoice: {
    chat_id: chat,
    voice: ["file", true],
    caption: ["string", false],
    duration: ["int", false],
    ...sendOptions,
  },
  sendDocument: {
    chat_id: chat,
    document: ["file", true],
    caption: ["string", false],
    ...sendOptions,
  },
  sendAudio: {
    chat_id: chat,
    audio: ["file", true],
    caption: ["string", false],
    duration: ["int", false],
    title: ["string", false],
    performer: ["string", false],
    ...sendOptions,
  },
  getFile: { file_id: ["string", true] },
  setMyCommands: { commands: ["json", true], scope: ["json", false], language_code: ["string", false] },
  getMyCommands: { scope: ["json", false], language_code: ["string", false] },
  deleteMyCommands: { scope: ["json", false], language_code: ["string", false] },
};

/** Checks and coerces the parameters of one call; unknown parameters are ignored, as Telegram does. */
export function checkParams(
  spec: MethodSpec,
  raw: Record<string, ParamValue>,
): { params: Record<string, unknown> } | { error: string } {
  const params: Record<string, unknown> = {};
  for (const [name, [kind, required]] of Object.entries(spec)) {
    const value = raw[name];
    if (value === undefined || value === null || value === "") {
      if (required)
        return {
          error: `Bad Request: ${name === "text" ? "message text is empty" : `parameter "${name}" is required`}`,
        };
      continue;
    }
    const coerced = coerce(kind, value);
    if (coerced === undefined)
      return { error: `Bad Request: field "${name}" must be of type ${typeName[kind]}` };
    params[name] = coerced;
  }
  return { params };
}

const typeName: Record<Kind, string> = {
  int: "Integer",
  string: "String",
  bool: "Boolean",
  chat: "Integer or String",
  json: "a JSON-serialized object",
  file: "InputFile or String",
};

function coerce(kind: Kind, value: ParamValue): unknown {
  switch (kind) {
    case "int":
      if (typeof value === "number" && Number.isInteger(value)) return value;
      return typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : undefined;
    case "chat":
      if (typeof value === "number" && Number.isInteger(value)) return value;
      if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
      return typeof value === "string" && value.startsWith("@") ? value : undefined;
    case "string":
      return typeof value === "string" ? value : undefined;
    case "bool":
      if (typeof value === "boolean") return value;
      return value === "true" ? true : value === "false" ? false : undefined;
    case "json":
      if (typeof value === "object" && !isUpload(value)) return value;
      if (typeof value !== "string") return undefined;
      try {
        const parsed: unknown = JSON.parse(value);
        return typeof parsed === "object" && parsed !== null ? parsed : undefined;
      } catch {
        return undefined;
      }
    case "file":
      return isUpload(value) || typeof value === "string" ? value : undefined;
  }
}

/** True for an uploaded file. */
export function isUpload(value: unknown): value is Upload {
  return typeof value === "object" && value !== null && "bytes" in value && value.bytes instanceof Uint8Array;
}
