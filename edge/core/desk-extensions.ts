/** What features add to the desk: alert buttons by prefix, the reboot executor and the code desk. */
import type { Actor } from "./actors.ts";
import type { Lang, Reply } from "./desk.ts";
import type { RebootProgress } from "./reboot-report.ts";
import type { RebootPort } from "./submission.ts";

/** Extra button handlers by prefix (e.g. the watchdog's `wd:` alert buttons). */
export type ButtonHandler = (
  actor: Actor,
  data: string,
  lang: Lang,
  onProgress?: (note: string) => void,
) => Promise<Reply | undefined>;

/** Answers text the understanding layer tagged as a code request (see edge/code/code-desk.ts). */
export type CodeTextHandler = (
  actor: Actor,
  text: string,
  lang: Lang,
  service: string | undefined,
  onProgress?: (note: string) => void,
) => Promise<Reply>;

/** The desk's extensions, looked up when a request needs one (the features attach after the desk exists). */
export interface DeskExtensions {
  button(prefix: string): ButtonHandler | undefined;
  reboot(): RebootPort | undefined;
  rebootProgress(): ((vm: string) => Promise<RebootProgress | undefined>) | undefined;
  codeClaims(): ((text: string) => boolean) | undefined;
  code(): CodeTextHandler | undefined;
}
