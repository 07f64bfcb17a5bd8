/** unknown-error: the catch-all for an error line no other rule knows; it reports, never repairs. */
import type { Rule } from "../rule-kit/rule.ts";

/** The rule; it has no triggers, classify falls back to it. */
export const unknownError: Rule = {
  id: "unknown-error",
  meaning: "an error no rule knows",
  triggers: [],
  verify: { errorGone: true },
  maxPerHour: 0,
};
