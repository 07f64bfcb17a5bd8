/**
 * What the operator reads when code-apply or code-revert failed; an applied change is worded by its
 * definition (protocol/actions/code-change-output.ts) from its checked output. In core because every reply renders it.
 */
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import { t } from "./text.ts";

/** The text for a failed code-apply or code-revert: the sidecar's message, already in the operator's language. */
export function codeFailureText(o: CommandOutcome, lang: Lang): string {
  return `❌ ${o.error?.message ?? t(lang, "Изменение не применено.", "The change was not applied.")}`;
}
