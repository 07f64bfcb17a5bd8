/** The bot menu: /start, /help, /status, /voice, in English (default) and Russian. */
import type { Api } from "grammy";

const commands = {
  en: [
    { command: "status", description: "Status of all VMs and services" },
    { command: "voice", description: "Voice replies on/off" },
    { command: "help", description: "What I can do" },
    { command: "start", description: "Start" },
  ],
  ru: [
    { command: "status", description: "Статус всех машин и сервисов" },
    { command: "voice", description: "Голосовые ответы вкл/выкл" },
    { command: "help", description: "Что я умею" },
    { command: "start", description: "Начать" },
  ],
};

/** Publishes the menu (call once at start or deploy; Telegram keeps it). */
export async function setBotCommands(api: Api): Promise<void> {
  await api.setMyCommands(commands.en);
  await api.setMyCommands(commands.ru, { language_code: "ru" });
}
