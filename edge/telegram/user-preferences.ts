/** Per-user settings the bot keeps: voice replies on or off, and the language last spoken. */
import type { Lang } from "../core/desk.ts";

/** One user's settings. */
export interface UserPreference {
  readonly voiceReplies?: boolean;
  readonly lang?: Lang;
}

/** Storage port for user settings (the controller provides a persistent one). */
export interface UserPreferences {
  get(userId: number): Promise<UserPreference>;
  update(userId: number, patch: UserPreference): Promise<void>;
}

/** Creates in-memory user settings. */
export function createMemoryUserPreferences(): UserPreferences {
  const all = new Map<number, UserPreference>();
  return {
    async get(userId) {
      return all.get(userId) ?? {};
    },
    async update(userId, patch) {
      all.set(userId, { ...all.get(userId), ...patch });
    },
  };
}
