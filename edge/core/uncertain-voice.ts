/** When a spoken command must be read back for one tap instead of running at once. */
import type { Understanding } from "../understand/understanding.ts";
import { changingIntents } from "../understand/understanding.ts";
import type { TextRequest } from "./desk.ts";

/** Below this transcript confidence (0..1, where the provider gives one) a spoken change is read back. */
export const LOW_SPEECH_CONFIDENCE = 0.6;

/**
 * True when a changing action comes from speech that was not a full match (words the rules did not
 * need) or that the recogniser was unsure of: it is read back for one tap instead of run at once.
 */
export function uncertainVoice(request: TextRequest, u: Understanding): boolean {
  if (request.spoken === undefined || !changingIntents.has(u.intent)) return false;
  const confidence = request.spoken.confidence;
  return !u.complete || (confidence !== undefined && confidence < LOW_SPEECH_CONFIDENCE);
}
