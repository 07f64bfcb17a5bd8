/**
 * What the operator reads about created services and scripts that the definitions do not say: the
 * unit in a read-back and a failed creation. A creation that went through is worded by its definition
 * (protocol/actions/service-create.ts and the others) from its checked output.
 */
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import { t } from "./text.ts";

/** The creation actions, whose failures these texts describe. */
export const creationActions: ReadonlySet<string> = new Set([
  "service-create",
  "script-create",
  "script-run",
  "created-list",
  "created-remove",
]);

/** The unit's lines as the read-back shows them (its comment left out). */
export function unitLines(text: string): string {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .join("\n");
}

/** The text for a failed creation action: the sidecar's message (a refusal said as one). */
export function creationFailureText(o: CommandOutcome, lang: Lang): string {
  const message = o.error?.message ?? t(lang, "Ничего не создано.", "Nothing was created.");
  if (o.error?.code === "refused")
    return `❌ ${t(lang, `Отказано: ${message}.`, `Refused: ${message}.`)}`.replace(/\.\.$/, ".");
  return `❌ ${message}`;
}
