/** What the bot reports to the audit on its own: attempts by users who are not on the allowlist. */

/** A stranger tried to use the bot; nothing ran. */
export interface StrangerAttempt {
  readonly kind: "telegram.stranger";
  readonly at: number;
  readonly user_id: number;
  readonly username?: string;
  readonly chat_id?: number;
  /** message, voice, callback_query, ... */
  readonly update: string;
  /** The first characters of a text message, for the record. */
  readonly text?: string;
}

/** Where the bot's audit events go. */
export interface BotAudit {
  record(event: StrangerAttempt): Promise<void> | void;
}
