/**
 * The sidecar: links to one or more controllers, says hello, sends heartbeats, and runs commands
 * through the typed action handlers, at most once each, keeping results until they are acknowledged.
 */
import { parseAction } from "../protocol/actions/catalog.ts";
import { typedFailureDetails } from "../protocol/actions/failure-details.ts";
import type { CreatedRecord } from "../protocol/created-inventory.ts";
import {
  type CommandFrame,
  type EventFrame,
  type Failure,
  type Frame,
  PROTOCOL_VERSION,
  type ResultFrame,
} from "../protocol/frames.ts";
import type { Inventory } from "../protocol/inventory.ts";
import { openJournal } from "./journal.ts";
import { type Link, type SidecarLog, startLink } from "./link.ts";
import type { PeerObservation } from "./peer/peer-prober.ts";
import { type ActionContext, ActionError, type ActionHandler } from "./services/handler.ts";
import { readBootId } from "./system/boot-id.ts";
import { readFigures } from "./system/figures.ts";

/** The sidecar's version, reported in hello. */
export const SIDECAR_VERSION = "0.1.0";

export interface SidecarOptions {
  readonly vm: string;
  readonly key: string;
  readonly controllers: readonly string[];
  /** The inventory the hello announces (read at each hello, so a changed one is announced as it is). */
  readonly inventory: Inventory;
  /** What voxops created on this VM, announced in the hello. */
  readonly created?: () => readonly CreatedRecord[];
  readonly stateDir: string;
  readonly handlers: Partial<Record<string, ActionHandler>>;
  readonly heartbeatMs?: number;
  readonly log?: SidecarLog;
  /** Adds host-specific things (adapters) to the context every handler receives. */
  readonly extendContext?: (base: ActionContext) => ActionContext;
  /** Failed units for the heartbeat; empty when the VM has no service manager adapter. */
  readonly failedUnits?: () => Promise<string[]>;
  readonly minUptimeMs?: number;
  /** The peer prober's latest observations, for the heartbeat's `peers` field. */
  readonly peers?: () => PeerObservation[];
  /** A fencing-lease grant for `controller` (protocol/lease-witness.ts), sent after each heartbeat as a `lease.grant` event. */
  readonly leaseGrant?: (
    controller: string,
    open: ReadonlyMap<string, boolean>,
  ) => Record<string, unknown> | undefined;
}

/** A running sidecar. */
export interface Sidecar {
  /** Sends an event (log finding, fix applied, peer down) to every controller, kept until acknowledged. */
  emit(kind: string, data: Record<string, unknown>): void;
  /** Says hello again on every open link: what the sidecar announces (its services) changed. */
  announce(): void;
  stop(): void;
}

/** A failure as the result frame carries it: its details only in the action's declared form, clipped. */
function failureOf(action: string, error: ActionError): Failure {
  const details = typedFailureDetails(action, error.details);
  return {
    code: error.code,
    message: error.message.slice(0, 4000),
    retryable: error.retryable,
    ...(details ? { details } : {}),
  };
}

/** Starts the sidecar's links, heartbeats and command runner. */
export function startSidecar(options: SidecarOptions): Sidecar {
  const log: SidecarLog = options.log ?? (() => {});
  const journal = openJournal(options.stateDir);
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const startedAt = Date.now();
  const bootId = readBootId();
  const running = new Map<string, AbortController>();
  const links: Link[] = [];
  let eventSeq = 0;

  const flush = (link: Link): void => {
    for (const frame of journal.unacked(link.controller)) if (!link.send(frame)) return;
  };

  const hello = (link: Link, again = false): void => {
    const spec = options.inventory.vm(options.vm);
    link.send({
      type: "hello",
      v: PROTOCOL_VERSION,
      vm: options.vm,
      version: SIDECAR_VERSION,
      capabilities: Object.keys(options.handlers),
      services: spec?.services.map((s) => s.name) ?? [],
      ...(options.created ? { created: options.created().slice(0, 256) } : {}),
      ...(bootId ? { bootId } : {}),
      startedAt,
    });
    if (!again) flush(link);
  };

  async function heartbeat(link: Link): Promise<void> {
    if (!link.isOpen()) return;
    try {
      const [figures, failedUnits] = await Promise.all([
        readFigures(),
        options.failedUnits?.() ?? Promise.resolve([]),
      ]);
      link.send({ type: "heartbeat", at: Date.now(), figures, failedUnits, peers: options.peers?.() ?? [] });
      const grant = options.leaseGrant?.(
        link.controller,
        new Map(links.map((l) => [l.controller, l.isOpen()])),
      );
      if (grant)
        link.send({
          type: "event",
          id: `l${Date.now().toString(36)}-${(eventSeq++).toString(36)}`,
          kind: "lease.grant",
          at: Date.now(),
          data: grant,
        });
    } catch (error) {
      log("warn", "heartbeat figures unavailable", { error: String(error) });
    }
  }

  function deliver(link: Link, frame: ResultFrame | EventFrame): void {
    journal.finish(frame.id, link.controller, frame);
    link.send(frame);
  }

  async function run(link: Link, frame: CommandFrame): Promise<void> {
    const startedAtMs = Date.now();
    const result = (ok: boolean, body: { output?: unknown; error?: ActionError }): ResultFrame => ({
      type: "result",
      id: frame.id,
      ok,
      startedAt: startedAtMs,
      finishedAt: Date.now(),
      ...(body.output === undefined ? {} : { output: body.output }),
      ...(body.error ? { error: failureOf(frame.action, body.error) } : {}),
    });
    if (frame.deadline <= startedAtMs) {
      journal.start(frame.id, link.controller);
      return deliver(
        link,
        result(false, {
          error: new ActionError("expired", "the command arrived after its deadline; it was not run"),
        }),
      );
    }
    const parsed = parseAction(frame.action, frame.args);
    const handler = parsed.ok ? options.handlers[parsed.action] : undefined;
    journal.start(frame.id, link.controller);
    if (!parsed.ok)
      return deliver(link, result(false, { error: new ActionError(parsed.code, parsed.message) }));
    if (!handler)
      return deliver(
        link,
        result(false, { error: new ActionError("unsupported", `this sidecar cannot run ${parsed.action}`) }),
      );
    const abort = new AbortController();
    running.set(frame.id, abort);
    const timer = setTimeout(
      () => abort.abort(new ActionError("timeout", "the deadline passed", { retryable: true })),
      frame.deadline - startedAtMs,
    );
    const base: ActionContext = {
      vm: options.vm,
      inventory: options.inventory,
      deadline: frame.deadline,
      signal: abort.signal,
      now: () => Date.now(),
      // Progress is a passing note, not history: sent once, not journaled or resent.
      progress: (step) =>
        link.send({
          type: "event",
          id: `p${startedAt.toString(36)}-${(eventSeq++).toString(36)}`,
          kind: "command.progress",
          at: Date.now(),
          data: { command: frame.id, step },
        }),
    };
    const ctx = options.extendContext ? options.extendContext(base) : base;
    try {
      const output = await handler(parsed.args, ctx);
      deliver(link, result(true, { output }));
    } catch (error) {
      const failure =
        error instanceof ActionError
          ? error
          : new ActionError("failed", error instanceof Error ? error.message : String(error));
      deliver(link, result(false, { error: failure }));
    } finally {
      clearTimeout(timer);
      running.delete(frame.id);
    }
  }

  function onFrame(link: Link, frame: Frame): void {
    switch (frame.type) {
      case "command": {
        link.send({ type: "ack", id: frame.id, of: "command" });
        const seen = journal.get(frame.id);
        if (seen?.state === "done" && seen.frame) {
          link.send(seen.frame);
          return;
        }
        if (seen) return;
        void run(link, frame);
        return;
      }
      case "ack":
        if (frame.of !== "command") journal.ack(frame.id);
        return;
      case "error":
        log("warn", "controller reported an error", {
          code: frame.code,
          message: frame.message,
          ref: frame.ref,
        });
        return;
      default:
        link.send({
          type: "error",
          code: "unexpected-frame",
          message: `a sidecar does not take ${frame.type} frames`,
        });
    }
  }

  for (const controller of options.controllers) {
    const link: Link = startLink({
      controller,
      vm: options.vm,
      key: options.key,
      log,
      onOpen: () => {
        hello(link);
        void heartbeat(link);
      },
      onFrame: (frame) => onFrame(link, frame),
      ...(options.minUptimeMs === undefined ? {} : { minUptimeMs: options.minUptimeMs }),
    });
    links.push(link);
  }
  const beat = setInterval(() => {
    for (const link of links) void heartbeat(link);
  }, heartbeatMs);

  return {
    emit(kind, data) {
      const id = `e${startedAt.toString(36)}-${(eventSeq++).toString(36)}`;
      for (const link of links)
        deliver(link, { type: "event", id: `${id}-${links.indexOf(link)}`, kind, at: Date.now(), data });
    },
    announce() {
      for (const link of links) if (link.isOpen()) hello(link, true);
    },
    stop() {
      clearInterval(beat);
      for (const abort of running.values()) abort.abort();
      for (const link of links) link.stop();
    },
  };
}
