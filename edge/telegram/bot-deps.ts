/** What the bot's handlers share: the ports createBot was given, with defaults filled in. */
import type { Api } from "grammy";
import type { Clock } from "../core/clock.ts";
import type { Desk } from "../core/desk.ts";
import type { SpeechToText, TextToSpeech } from "../speech/speech.ts";
import type { BotAudit } from "./bot-audit.ts";
import type { UpdateDedupe } from "./update-dedupe.ts";
import type { UserPreferences } from "./user-preferences.ts";
import type { TelegramUsers } from "./users.ts";
import type { VoiceSource } from "./voice-download.ts";

/** The handlers' dependencies. */
export interface BotDeps {
  readonly api: Api;
  readonly desk: Desk;
  readonly users: TelegramUsers;
  readonly dedupe: UpdateDedupe;
  readonly preferences: UserPreferences;
  readonly audit: BotAudit | undefined;
  readonly stt: SpeechToText | undefined;
  readonly tts: TextToSpeech | undefined;
  readonly clock: Clock;
  readonly voiceSource: VoiceSource;
  /** Words to bias speech recognition (service and VM names). */
  readonly speechHints: () => Promise<readonly string[]>;
  /** How long a button press may take before its spinner is answered with "working…". */
  readonly buttonAnswerMs: number;
  readonly onError: (error: unknown) => void;
}
