/**
 * The policy gate every action passes, whoever proposed it (a human's words, a button, the LLM, an
 * auto-fix rule): is the requester's role enough for the action's risk, does it need a confirmation
 * (with a read-back of the action and target in the requester's language), and is the requester or
 * the target over its rate limit. Pure: time comes from an injected clock.
 */

import {
  type ActionName,
  actionSpecs,
  definitionOf,
  parseAction,
  type Risk,
} from "../../protocol/actions/catalog.ts";
import { type Actor, type ActorKind, type Role, roleAtLeast } from "./actors.ts";
import { configChangePreview } from "./change-preview.ts";
import type { Clock } from "./clock.ts";
import type { Lang } from "./desk.ts";

/** The least role that may run an action of each risk. */
export function requiredRole(risk: Risk): Role {
  return risk === "read" ? "viewer" : risk === "change" ? "operator" : "admin";
}

/** What the gate may know about the target VM, for the read-back. */
export interface TargetFacts {
  /** The VM's role from the inventory ("hub"), shown beside its name. */
  readonly role?: string;
  /** Milliseconds since the VM's last heartbeat; null when it never sent one. */
  readonly heartbeatAgeMs?: number | null;
}

/** One action aimed at a VM (or "all"), as the gate sees it. */
export interface GateRequest {
  readonly actor: Actor;
  readonly action: ActionName;
  readonly args: Readonly<Record<string, unknown>>;
  readonly vm: string;
  readonly lang: Lang;
  readonly target?: TargetFacts;
  /** The VMs "all" stands for, as the read-back names them ("vm1 (main)"). */
  readonly names?: readonly string[];
}

/** Why the gate refused. */
export type DenyReason = "invalid" | "role" | "user-rate" | "target-rate";

/** The gate's answer: run now, ask the requester first (with the text to show), or refuse. */
export type GateDecision =
  | { readonly verdict: "allow"; readonly risk: Risk }
  | { readonly verdict: "confirm"; readonly risk: Risk; readonly readBack: string }
  | {
      readonly verdict: "deny";
      readonly reason: DenyReason;
      readonly message: string;
      readonly retryable: boolean;
      readonly retryAfterMs?: number;
    };

/** The gate's refusal. */
export type Denial = Extract<GateDecision, { verdict: "deny" }>;

/** At most `max` events in any `windowMs`. */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** Settings of the gate. */
export interface PolicyOptions {
  readonly clock: Clock;
  /** Requests per user, all risks (default 30 a minute). */
  readonly userLimit?: RateLimit;
  /** Changing actions per target VM and service (default 6 in 10 minutes). */
  readonly targetLimit?: RateLimit;
  /**
   * Actions that actors of these kinds may run on one VM without a confirmation, because the
   * configuration approved them in advance (default: `fix` by `auto`, i.e. an auto-fix repair by a
   * known rule; `noAutoApproval` asks instead). Roles and rate limits still apply; a destructive
   * action or one aimed at all VMs is never pre-approved.
   */
  readonly autoApproved?: AutoApproval;
}

/** Which actions which kinds of actor may run without a confirmation. */
export interface AutoApproval {
  readonly actions: readonly ActionName[];
  readonly actorKinds: readonly ActorKind[];
}

/** The default pre-approval: the auto-fix engine's repairs (`fix` by an `auto` actor). */
export const autofixApproved: AutoApproval = { actions: ["fix"], actorKinds: ["auto"] };

/** No pre-approval: every confirmable action is asked about, whoever proposed it. */
export const noAutoApproval: AutoApproval = { actions: [], actorKinds: [] };

/** True when `approval` lets `actor` run `action` on `vm` without a confirmation. */
export function preApproved(approval: AutoApproval, actor: Actor, action: ActionName, vm: string): boolean {
  return (
    approval.actions.includes(action) &&
    approval.actorKinds.includes(actor.kind) &&
    actionSpecs[action].risk !== "destructive" &&
    vm !== "all"
  );
}

/** The gate. */
export interface PolicyGate {
  /**
   * Decides on a request. A request allowed now counts against the rate limits; one that waits for a
   * confirmation counts against the target's limit only when it is confirmed (`charge`): what runs is
   * counted, not what is asked.
   */
  decide(request: GateRequest): GateDecision;
  /** Counts a confirmed request against its target's limit: undefined, or the refusal when the limit is spent meanwhile. */
  charge(request: GateRequest): Denial | undefined;
}

/** True when an action must be confirmed by the requester: the catalog says so, it is destructive, or it fans out to all VMs. */
export function needsConfirmation(action: ActionName, vm: string): boolean {
  const spec = actionSpecs[action];
  return spec.confirm || spec.risk === "destructive" || (spec.risk !== "read" && vm === "all");
}

/** A sliding-window counter per key. */
export interface SlidingWindow {
  /** Counts an event for `key` if the window has room; otherwise says when it will. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number };
  /** Says whether the window has room for `key`, without counting anything. */
  peek(key: string): { ok: true } | { ok: false; retryAfterMs: number };
}

/** Creates a sliding-window limiter on an injected clock. */
export function createSlidingWindow(limit: RateLimit, clock: Clock): SlidingWindow {
  const events = new Map<string, number[]>();
  return {
    peek(key) {
      const now = clock.now();
      const recent = (events.get(key) ?? []).filter((t) => t > now - limit.windowMs);
      return recent.length >= limit.max
        ? { ok: false, retryAfterMs: Math.max(1, (recent[0] ?? now) + limit.windowMs - now) }
        : { ok: true };
    },
    take(key) {
      const now = clock.now();
      const recent = (events.get(key) ?? []).filter((t) => t > now - limit.windowMs);
      if (recent.length >= limit.max) {
        events.set(key, recent);
        return { ok: false, retryAfterMs: Math.max(1, (recent[0] ?? now) + limit.windowMs - now) };
      }
      recent.push(now);
      events.set(key, recent);
      if (events.size > 10_000) {
        for (const [k, list] of events) if (list.every((t) => t <= now - limit.windowMs)) events.delete(k);
      }
      return { ok: true };
    },
  };
}

/** Builds the policy gate. */
export function createPolicyGate(options: PolicyOptions): PolicyGate {
  const approval = options.autoApproved ?? autofixApproved;
  const users = createSlidingWindow(options.userLimit ?? { max: 30, windowMs: 60_000 }, options.clock);
  const targets = createSlidingWindow(options.targetLimit ?? { max: 6, windowMs: 600_000 }, options.clock);
  return {
    decide(request) {
      const { actor, action, vm, lang } = request;
      const parsed = parseAction(action, request.args);
      if (!parsed.ok) return deny("invalid", parsed.message, false);
      const { risk } = actionSpecs[action];
      const needed = requiredRole(risk);
      if (!roleAtLeast(actor.role, needed)) {
        return deny(
          "role",
          lang === "ru"
            ? `Для «${action}» нужна роль ${needed}, у вас ${actor.role}. Попросите администратора.`
            : `"${action}" needs the ${needed} role; you are ${actor.role}. Ask an admin.`,
          false,
        );
      }
      const user = users.take(`${actor.kind}:${actor.id}`);
      if (!user.ok) return limited("user-rate", user.retryAfterMs, lang);
      const runsNow = !needsConfirmation(action, vm) || preApproved(approval, actor, action, vm);
      if (risk !== "read") {
        const key = targetKey(vm, parsed.args);
        const target = runsNow ? targets.take(key) : targets.peek(key);
        if (!target.ok) return limited("target-rate", target.retryAfterMs, request.lang);
      }
      if (runsNow) return { verdict: "allow", risk };
      return { verdict: "confirm", risk, readBack: readBack(request) };
    },
    charge(request) {
      const parsed = parseAction(request.action, request.args);
      if (!parsed.ok) return deny("invalid", parsed.message, false);
      if (actionSpecs[request.action].risk === "read") return undefined;
      const target = targets.take(targetKey(request.vm, parsed.args));
      return target.ok ? undefined : limited("target-rate", target.retryAfterMs, request.lang);
    },
  };
}

/** The rate-limit key of a change: the VM and the service it touches ("*" for the whole VM). */
function targetKey(vm: string, args: Readonly<Record<string, unknown>>): string {
  return `${vm}/${typeof args["service"] === "string" ? args["service"] : "*"}`;
}

function deny(reason: DenyReason, message: string, retryable: boolean, retryAfterMs?: number): Denial {
  return {
    verdict: "deny",
    reason,
    message,
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

function limited(reason: "user-rate" | "target-rate", retryAfterMs: number, lang: Lang): Denial {
  const wait = formatAge(retryAfterMs, lang);
  const who =
    reason === "user-rate"
      ? lang === "ru"
        ? "Слишком много запросов от вас"
        : "Too many requests from you"
      : lang === "ru"
        ? "Слишком много изменений этой цели"
        : "Too many changes to this target";
  const then = lang === "ru" ? `попробуйте через ${wait}` : `try again in ${wait}`;
  return deny(reason, `${who}; ${then}.`, true, retryAfterMs);
}

/** A short age in the requester's language: "4 s", "3 min", "2 h" / "4 с", "3 мин", "2 ч". */
export function formatAge(ms: number, lang: Lang): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return lang === "ru" ? `${s} с` : `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return lang === "ru" ? `${min} мин` : `${min} min`;
  const h = Math.round(min / 60);
  return lang === "ru" ? `${h} ч` : `${h} h`;
}

/** The question put to the requester before a confirmable action: "Reboot vm2 (hub)? Last heartbeat 4 s ago." */
export function readBack(request: Omit<GateRequest, "actor">): string {
  const { action, args, vm, lang, target } = request;
  const ru = lang === "ru";
  const label = vm === "all" ? undefined : target?.role && target.role !== vm ? `${vm} (${target.role})` : vm;
  const names = request.names?.length ? request.names : undefined;
  const listed = names && (ru ? names.join(" и ") : names.join(" and "));
  const on =
    label === undefined
      ? ru
        ? `на всех VM${listed ? ` (${listed})` : ""}`
        : `on all VMs${listed ? ` (${listed})` : ""}`
      : ru
        ? `на ${label}`
        : `on ${label}`;
  const obj = label ?? listed ?? (ru ? "все VM" : "all VMs");
  // The question comes from the action's definition; a rolling reboot and a config diff add to it here.
  const def = definitionOf(action);
  const parsed = def?.args.safeParse(args);
  let question =
    def && parsed?.success
      ? def.readBack(parsed.data, { lang, on, target: obj })
      : ru
        ? `Выполнить «${def?.noun.ru ?? action}» ${on}?`
        : `Run the ${def?.noun.en ?? action} ${on}?`;
  // What a change will do, shown under the question (a config change's diff).
  const change = action === "config" ? configChangePreview(args, lang) : undefined;
  if (action === "reboot" && names && names.length > 1)
    question += ru
      ? ` По одной: сначала ${names[0]}, следующую — когда предыдущая вернётся.`
      : ` One at a time: ${names[0]} first, the next once the one before is back.`;
  const age = target?.heartbeatAgeMs;
  const asked =
    age === undefined || vm === "all"
      ? question
      : age === null
        ? `${question} ${ru ? "Сигналов от неё ещё не было." : "No heartbeat yet."}`
        : `${question} ${ru ? `Последний сигнал ${formatAge(age, lang)} назад.` : `Last heartbeat ${formatAge(age, lang)} ago.`}`;
  return change ? `${asked}\n${change}` : asked;
}
