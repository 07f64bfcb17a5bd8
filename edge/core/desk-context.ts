/** What the desk's parts share: its options, and how a VM and a command are named in a reply. */
import { definitionOf } from "../../protocol/actions/catalog.ts";
import { CONFIRM_TTL_MS } from "./confirmations.ts";
import type { Lang } from "./desk.ts";
import type { DeskOptions } from "./desk-options.ts";

/** The desk's options with the names its parts use. */
export interface DeskContext {
  readonly options: DeskOptions;
  /** How long a confirmation stays valid. */
  readonly ttlMs: number;
  /** "vm1 (main)": a VM with its role. */
  label(vm: string): string;
  /** Milliseconds since the VM's last heartbeat, or null when it never sent one. */
  heartbeatAge(vm: string): number | null;
  /** "→ restart grok-voice on vm1 (main)" / "→ перезапуск grok-voice на vm1 (main)": what runs where, in one language. */
  summary(action: string, args: Record<string, unknown>, vms: readonly string[], lang: Lang): string;
}

/** Creates the context for `options`. */
export function createDeskContext(options: DeskOptions): DeskContext {
  const { controller, inventory } = options;
  const label = (vm: string): string => {
    const role = inventory.vm(vm)?.role;
    return role && role !== vm ? `${vm} (${role})` : vm;
  };
  const heartbeatAge = (vm: string): number | null => {
    const at = controller.fleet().find((v) => v.vm === vm)?.lastSeenAt ?? null;
    return at === null ? null : options.now() - at;
  };
  const summary = (
    action: string,
    args: Record<string, unknown>,
    vms: readonly string[],
    lang: Lang,
  ): string => {
    const noun = definitionOf(action)?.noun ?? { ru: action, en: action };
    const service = typeof args["service"] === "string" ? ` ${args["service"]}` : "";
    const on = vms.map(label).join(lang === "ru" ? " и " : " and ");
    return lang === "ru" ? `→ ${noun.ru}${service} на ${on}` : `→ ${noun.en}${service} on ${on}`;
  };

  return { options, ttlMs: options.confirmTtlMs ?? CONFIRM_TTL_MS, label, heartbeatAge, summary };
}
