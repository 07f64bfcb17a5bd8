/**
 * Filling the targets of an intent by the contract's rules: a service on one VM fixes the VM; a
 * service on several VMs means "all" for reading and "ask" for changing; a VM that lacks the named
 * service, an unknown service, or an unknown VM gives null, so the desk asks and never guesses.
 */
import type { Inventory } from "../../protocol/inventory.ts";
import type { Analysis } from "./analysis.ts";
import { filesRequest } from "./files-request.ts";
import { asksNewService } from "./intent-rules.ts";
import { isLatin } from "./normalize.ts";
import { changingIntents, type Intent, type Metric, type UnderstoodArgs } from "./understanding.ts";

/** Filled arguments and what the desk must still ask. */
export interface Slots {
  readonly args: UnderstoodArgs;
  readonly missing: ("vm" | "service")[];
  readonly candidates: { vm?: string[]; service?: string[] };
  readonly unknownService?: string;
  readonly unknownVm?: string;
}

const needsService = new Set<Intent>(["logs", "files", "restart", "config", "deploy"]);
const defaultsToAll = new Set<Intent>(["status", "metrics", "errors", "backup"]);

type VmHeard = { kind: "none" } | { kind: "one"; vm: string | null } | { kind: "many"; vms: string[] };

function vmHeard(a: Analysis, allVms: readonly string[]): VmHeard {
  if (a.vms.length === 0) return { kind: "none" };
  if (a.vms.some((m) => m.vm === "all")) return { kind: "one", vm: "all" };
  if (a.vms.some((m) => m.vm === null)) return { kind: "one", vm: null };
  const named = [...new Set(a.vms.map((m) => m.vm as string))];
  if (named.length === 1) return { kind: "one", vm: named[0] ?? null };
  if (allVms.length > 1 && allVms.every((v) => named.includes(v))) return { kind: "one", vm: "all" };
  return { kind: "many", vms: named };
}

/**
 * Words that look like the name of a service the inventory does not have: a hyphenated name
 * ("unknown-service"), a word beside "сервис"/"service", a Latin word right after the command
 * ("restart redis"), or any unexplained word right after a changing command ("почини мемкэш").
 */
function unknownServiceWords(a: Analysis): string | undefined {
  const changingTriggers = ["restart", "start", "fix", "deploy"] as const;
  const triggers = ["restart", "start", "reboot", "fix", "deploy", "logs", "status", "configNoun"] as const;
  const afterTrigger = (i: number): boolean =>
    [i - 1, i - 2].some(
      (k) =>
        triggers.some((c) => a.classes[k]?.has(c)) &&
        (k === i - 1 || a.classes[k + 1]?.has("known") === true),
    );
  const besideServiceNoun = (i: number): boolean =>
    [i - 1, i + 1].some((k) => a.classes[k]?.has("serviceNoun") === true);
  for (const i of a.leftover) {
    const token = a.tokens[i];
    if (token === undefined) continue;
    const glued = a.tokens.some((t, k) => k !== i && t.chunk === token.chunk) && !token.param && !token.path;
    const afterChange = changingTriggers.some((c) => a.classes[i - 1]?.has(c));
    if (glued || besideServiceNoun(i) || (isLatin(token.text) && afterTrigger(i)) || afterChange) {
      return a.tokens
        .filter((t) => t.chunk === token.chunk)
        .map((t) => t.text)
        .join("-");
    }
  }
  return undefined;
}

/**
 * Words that look like the name of a VM the inventory does not have: a VM-like name the index found in
 * no inventory entry ("vm9", "node 3"), an unexplained word beside a machine noun ("перезагрузи машину
 * zzz") or right after "reboot" ("перезагрузи несуществующую").
 */
function unknownVmWords(a: Analysis, intent: Intent): string | undefined {
  // A mention the VM index took for a VM name but found in no inventory entry ("vm9", "node 3").
  const mention = a.vms.find((m) => m.vm === null && !(m.machine && m.end - m.start === 1));
  if (mention !== undefined)
    return a.tokens
      .slice(mention.start, mention.end)
      .map((t) => t.text)
      .join(" ");
  for (const i of a.leftover) {
    const token = a.tokens[i];
    if (token === undefined || token.param || token.path) continue;
    const besideMachine = [i - 1, i + 1].some((k) => a.classes[k]?.has("machine") === true);
    const afterReboot = intent === "reboot" && a.classes[i - 1]?.has("reboot") === true;
    if (besideMachine || afterReboot) return token.text;
  }
  return undefined;
}

/** Fills the arguments of `intent` from the analysed sentence. */
export function fillSlots(intent: Intent, a: Analysis, inventory: Inventory): Slots {
  if (intent === "help" || intent === "unknown") return { args: {}, missing: [], candidates: {} };
  const allVms = inventory.vms.map((v) => v.name);
  const reading = !changingIntents.has(intent);
  const heard = vmHeard(a, allVms);
  const candidates: { vm?: string[]; service?: string[] } = {};
  const missing: ("vm" | "service")[] = [];

  // The service: one named, several (ambiguous: ask), unknown words, or none.
  const named = [...new Set(a.services.flatMap((m) => m.services))];
  let service: string | null | undefined;
  // The name of a service to create ("создай сервис echo") is new, not an unknown target.
  const creating = intent === "code" && asksNewService(a);
  const unknownService = named.length === 0 && !creating ? unknownServiceWords(a) : undefined;
  if (named.length === 1) service = named[0] ?? null;
  else if (named.length > 1) {
    service = null;
    candidates.service = named.sort();
  } else if (unknownService !== undefined) service = null;

  // A script or a new service is written about a service, not into it: no target service.
  const scriptOnly = intent === "code" && (scriptAsked(a) || asksNewService(a)) && !onlyIn(a);
  if (intent === "code" && scriptOnly) service = undefined;

  // The VM.
  let vm: string | null;
  if (typeof service === "string") {
    const hosts = inventory.vmsWithService(service);
    if (heard.kind === "one" && heard.vm === "all") vm = hosts.length === 1 ? (hosts[0] ?? null) : "all";
    else if (heard.kind === "one") vm = heard.vm !== null && hosts.includes(heard.vm) ? heard.vm : null;
    else if (heard.kind === "many") vm = null;
    else if (hosts.length === 1) vm = hosts[0] ?? null;
    else vm = reading ? "all" : null;
    if (vm === null) candidates.vm = hosts;
  } else if (unknownService !== undefined && !reading) {
    // A service the inventory lacks never becomes a target: no VM is guessed for it either.
    vm = null;
  } else if (named.length > 1 && !reading) {
    // "перезапусти nginx на первой и postgres на второй": which service goes where is asked, never guessed.
    vm = null;
  } else if (scriptOnly && a.vms.every((m) => !m.locative)) {
    // "a script that reboots the hub": the hub is what the script acts on, not where it is written.
    vm = null;
  } else if (heard.kind === "one") vm = heard.vm;
  else if (heard.kind === "many") {
    vm = null;
    candidates.vm = heard.vms;
  } else if (service === undefined && defaultsToAll.has(intent)) vm = "all";
  else if (intent === "reboot" && a.has("every")) vm = "all";
  else vm = null;
  if (vm === null && candidates.vm === undefined) candidates.vm = allVms;

  const args: UnderstoodArgs = {};
  if (intent !== "metrics" && intent !== "reboot" && intent !== "backup") args.service = service ?? null;
  args.vm = vm;
  if (intent === "metrics") args.metric = metricOf(a);
  if (intent === "files") Object.assign(args, filesRequest(a) ?? { op: "list" });
  if (intent === "logs") {
    const lines = linesOf(a);
    if (lines !== undefined) args.lines = lines;
  }
  if (args.service === null && needsService.has(intent)) missing.push("service");
  if (vm === null && intent !== "code") missing.push("vm");
  if (args.service === null && candidates.service === undefined && needsService.has(intent)) {
    const on = typeof vm === "string" && vm !== "all" ? [vm] : allVms;
    candidates.service = [...new Set(on.flatMap((v) => inventory.vm(v)?.services.map((s) => s.name) ?? []))];
  }
  // A VM named but not in the inventory is never replaced by a guess (not even the only VM).
  const unknownVm =
    vm === null &&
    unknownService === undefined &&
    (heard.kind === "none" || (heard.kind === "one" && heard.vm === null))
      ? unknownVmWords(a, intent)
      : undefined;
  return {
    args,
    missing,
    candidates,
    ...(unknownService === undefined ? {} : { unknownService }),
    ...(unknownVm === undefined ? {} : { unknownVm }),
  };
}

function scriptAsked(a: Analysis): boolean {
  return a.where("codeNoun").some((i) => /^(скрипт|script|cron|крон|timer|таймер)/.test(a.words[i] ?? ""));
}

/** True when the sentence puts the code into a service ("в admin-api", "to admin-api"). */
function onlyIn(a: Analysis): boolean {
  return (
    !a.has("newWord") &&
    !scriptAsked(a) &&
    a.services.some((m) => a.classes[m.start - 1]?.has("locative") || a.words[m.start - 1] === "to")
  );
}

function metricOf(a: Analysis): Metric {
  const found = (["memory", "disk", "cpu"] as const).filter((m) => a.has(m));
  return found.length === 1 ? (found[0] ?? "all") : "all";
}

function linesOf(a: Analysis): number | undefined {
  const near = a.numbers.find((n) =>
    [n.start - 1, n.end, n.end + 1].some((k) => a.classes[k]?.has("lines") || a.classes[k]?.has("logs")),
  );
  const pick = near ?? (a.numbers.length === 1 ? a.numbers[0] : undefined);
  return pick?.value;
}
