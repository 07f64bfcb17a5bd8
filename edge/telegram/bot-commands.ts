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

/** Publishes the menu (call once at start or deploy; Telegram keeps it); /voice only where it can work. */
export async function setBotCommands(api: Api, options: { voice?: boolean } = {}): Promise<void> {
  const shown = (list: typeof commands.en) =>
    list.filter((c) => c.command !== "voice" || options.voice !== false);
  await api.setMyCommands(shown(commands.en));
  await api.setMyCommands(shown(commands.ru), { language_code: "ru" });
}
