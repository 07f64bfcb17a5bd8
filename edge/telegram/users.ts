/** The allowlist: which Telegram user ids may use the bot, and with which role. */
import { parseRole, type Role } from "../core/actors.ts";

/** Telegram user id → role; everyone else is a stranger. */
export type TelegramUsers = ReadonlyMap<number, Role>;

/** The settings the allowlist is read from. */
export interface TelegramUsersEnv {
  /** "123:admin,456:operator,789:viewer". */
  readonly TELEGRAM_USERS?: string | undefined;
  /** "123,456": all admins, enough for a quick local run. */
  readonly TELEGRAM_ADMINS?: string | undefined;
}

/** Parses TELEGRAM_USERS and TELEGRAM_ADMINS; throws an Error naming the bad entry. */
export function parseTelegramUsers(env: TelegramUsersEnv): TelegramUsers {
  const users = new Map<number, Role>();
  const add = (id: number, role: Role, setting: string) => {
    const known = users.get(id);
    if (known !== undefined && known !== role) {
      throw new Error(`${setting}: user ${id} is listed as both ${known} and ${role}`);
    }
    users.set(id, role);
  };
  for (const entry of entries(env.TELEGRAM_USERS)) {
    const [idText = "", roleText = "", extra] = entry.split(":").map((s) => s.trim());
    const role = parseRole(roleText);
    if (extra !== undefined || !role) {
      throw new Error(`TELEGRAM_USERS: "${entry}" must be <user id>:<viewer|operator|admin>`);
    }
    add(userId(idText, "TELEGRAM_USERS"), role, "TELEGRAM_USERS");
  }
  for (const entry of entries(env.TELEGRAM_ADMINS))
    add(userId(entry, "TELEGRAM_ADMINS"), "admin", "TELEGRAM_ADMINS");
  return users;
}

/** The ids of the admins: the chats that get alerts. */
export function adminChatIds(users: TelegramUsers): number[] {
  return [...users].filter(([, role]) => role === "admin").map(([id]) => id);
}

function entries(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function userId(text: string, setting: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new Error(`${setting}: "${text}" is not a Telegram user id`);
  return Number(text);
}
