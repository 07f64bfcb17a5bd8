/**
 * The controller core: which sidecars are connected, commands sent to them with deadlines, results
 * routed back, heartbeats recorded and every command audited. Runtime-free: the Durable Object and
 * the Node host feed it sockets and time.
 */
import { actionSpecs, parseAction } from "../../protocol/actions/catalog.ts";
import { CONTROLLER_RESTART_CLOSE } from "../../protocol/controller-restart.ts";
import {
  type CommandFrame,
  type EventFrame,
  encodeFrame,
  type Failure,
  type Frame,
  frameError,
  type HeartbeatFrame,
  type HelloFrame,
  parseFrame,
  type ResultFrame,
} from "../../protocol/frames.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { Actor } from "./actors.ts";
import type { Audit } from "./audit.ts";
import type { Clock } from "./clock.ts";
import { secretsEqual } from "./credentials.ts";
import { readFleet, type VmState } from "./fleet.ts";
import { newId } from "./ids.ts";
import type { SqlStore } from "./store.ts";
import { cleanUntrusted } from "./untrusted-text.ts";

/** One open socket to a sidecar, as the host gives it to the controller. */
export interface SidecarLink {
  readonly connId: string;
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** Where the controller writes what it notices about frames and links (the JSON log line). */
import type { LogFn } from "../../protocol/json-log.ts";

export type { LogFn };

/** Things other parts (watchdog, auto-fix, alerts) want to hear about. */
export interface ControllerHooks {
  onHello?(vm: string, frame: HelloFrame): void;
  onHeartbeat?(vm: string, frame: HeartbeatFrame): void;
  onEvent?(vm: string, frame: EventFrame): void;
  /** A command's result arrived (not a duplicate of one already taken). */
  onResult?(vm: string, frame: ResultFrame): void;
  onDisconnect?(vm: string): void;
}

export interface ControllerOptions {
  readonly store: SqlStore;
  readonly clock: Clock;
  readonly audit: Audit;
  readonly sidecarKeys: ReadonlyMap<string, string>;
  readonly inventory?: Inventory;
  readonly hooks?: ControllerHooks;
  readonly log?: LogFn;
  /** How long a command may take when the caller gives no timeout. */
  readonly defaultTimeoutMs?: number;
  /**
   * How long a command waits for an expected VM's sidecar to connect when it is not connected yet but
   * should be soon (this controller started under a minute ago, or the VM was heard from under a
   * minute ago) before answering "not connected"; default 0 (answer at once).
   */
  readonly connectWaitMs?: number;
}

/** A request to run one action on one VM. */
export interface DispatchRequest {
  readonly vm: string;
  readonly action: string;
  readonly args?: Record<string, unknown>;
  readonly actor: Actor;
  readonly timeoutMs?: number;
  /** Called when the sidecar reports the command reached a step (checks, restarting, …), with the sidecar's time. */
  readonly onProgress?: (step: string, at: number) => void;
}

/** How a dispatched command ended. */
export interface CommandOutcome {
  readonly id: string | null;
  readonly vm: string;
  readonly action: string;
  readonly ok: boolean;
  readonly output?: unknown;
  readonly error?: Failure;
  readonly durationMs: number;
}

/** A command as stored: its state is sent, acked, done, expired or late. */
export interface CommandRecord {
  readonly id: string;
  readonly vm: string;
  readonly action: string;
  readonly state: string;
  readonly createdAt: number;
  readonly deadline: number;
  readonly result: ResultFrame | null;
}

export type SidecarAdmission = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** The controller's surface, used by the hosts and the HTTPS app. */
export interface Controller {
  authenticateSidecar(vm: string | null, key: string | undefined, from?: string): Promise<SidecarAdmission>;
  onConnect(vm: string, link: SidecarLink, options?: { restored?: boolean }): void;
  onMessage(link: SidecarLink, data: string | ArrayBuffer): void;
  onClose(link: SidecarLink, code?: number, reason?: string): void;
  dispatch(request: DispatchRequest): Promise<CommandOutcome>;
  fleet(): VmState[];
  connected(vm: string): boolean;
  /** A command's state and, once it has one, its result. */
  command(id: string): CommandRecord | undefined;
  /** Closes each sidecar socket with 1012 and answers every waiting caller that the controller is stopping (their commands stay pending). */
  stop(): void;
  /** Expires commands past their deadline; returns the next deadline still pending, if any. */
  tick(): number | null;
  readonly audit: Audit;
}

type Waiter = {
  resolve: (outcome: CommandOutcome) => void;
  timer: ReturnType<typeof setTimeout>;
  startedAt: number;
  onProgress?: (step: string, at: number) => void;
};
type CommandRow = {
  id: string;
  vm: string;
  action: string;
  args: string;
  deadline: number;
  state: string;
  actor: string;
  created_at: number;
};

/** Events and finished commands are kept this long; the audit log is kept for ever. */
const KEEP_HISTORY_MS = 14 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

const sidecarActor = (vm: string): Actor => ({ kind: "watchdog", id: `sidecar:${vm}`, role: "viewer" });

/** Creates the controller over its ports. */
export function createController(options: ControllerOptions): Controller {
  const { store, clock, audit, sidecarKeys, inventory, hooks = {} } = options;
  const log: LogFn = options.log ?? (() => {});
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  const links = new Map<string, SidecarLink>();
  const vmOfConn = new Map<string, string>();
  const waiters = new Map<string, Waiter>();
  let lastPrune = 0;
  // Once stopped, links close because this controller goes away, not because a VM did: no hook hears it.
  let stopped = false;
  const controllerStartedAt = clock.now();
  const connectWaitMs = options.connectWaitMs ?? 0;
  const linkWaiters = new Map<string, Set<() => void>>();

  /** Waits up to `ms` for `vm` to connect; resolves with its link, or undefined. */
  async function waitForLink(vm: string, ms: number): Promise<SidecarLink | undefined> {
    const set = linkWaiters.get(vm) ?? new Set<() => void>();
    linkWaiters.set(vm, set);
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
    return links.get(vm);
  }

  const fail = (code: string, message: string, retryable = false): Failure => ({ code, message, retryable });

  function send(link: SidecarLink, frame: Frame): void {
    try {
      link.send(encodeFrame(frame));
    } catch (error) {
      log("warn", "send to sidecar failed", { connId: link.connId, error: String(error) });
    }
  }

  function markConnected(vm: string, link: SidecarLink): void {
    store.exec(
      `INSERT INTO vms (name, connected, conn_id, connected_at, last_seen) VALUES (?, 1, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET connected = 1, conn_id = excluded.conn_id, connected_at = excluded.connected_at, last_seen = excluded.last_seen`,
      vm,
      link.connId,
      clock.now(),
      clock.now(),
    );
  }

  function redeliver(vm: string, link: SidecarLink): void {
    const rows = store.exec<CommandRow>(
      "SELECT * FROM commands WHERE vm = ? AND state IN ('sent', 'acked') AND deadline > ? ORDER BY created_at",
      vm,
      clock.now(),
    );
    for (const row of rows) {
      const frame: CommandFrame = {
        type: "command",
        id: row.id,
        action: row.action,
        args: JSON.parse(row.args) as Record<string, unknown>,
        deadline: row.deadline,
      };
      send(link, frame);
    }
    if (rows.length > 0) log("info", "redelivered pending commands", { vm, count: rows.length });
  }

  function finish(id: string, outcome: Omit<CommandOutcome, "durationMs">): void {
    const waiter = waiters.get(id);
    if (!waiter) return;
    waiters.delete(id);
    clearTimeout(waiter.timer);
    waiter.resolve({ ...outcome, durationMs: clock.now() - waiter.startedAt });
  }

  function expire(id: string): void {
    const rows = store.exec<CommandRow>(
      "UPDATE commands SET state = 'expired' WHERE id = ? AND state IN ('sent', 'acked') RETURNING *",
      id,
    );
    const row = rows[0];
    if (!row) return;
    const actor = JSON.parse(row.actor) as Actor;
    audit.append({
      actor,
      action: row.action,
      target: row.vm,
      outcome: "timeout",
      ref: row.id,
      durationMs: clock.now() - row.created_at,
      detail: "no result before the deadline",
    });
    const lastSeen = store.exec<{ last_seen: number | null }>(
      "SELECT last_seen FROM vms WHERE name = ?",
      row.vm,
    )[0]?.last_seen;
    const age = lastSeen
      ? `; its last heartbeat was ${Math.round((clock.now() - lastSeen) / 1000)} s ago`
      : "";
    finish(row.id, {
      id: row.id,
      vm: row.vm,
      action: row.action,
      ok: false,
      error: fail("timeout", `${row.vm} did not answer ${row.action} in time${age}`, true),
    });
  }

  function onResult(vm: string, link: SidecarLink, frame: ResultFrame): void {
    send(link, { type: "ack", id: frame.id, of: "result" });
    const row = store.exec<CommandRow>("SELECT * FROM commands WHERE id = ?", frame.id)[0];
    if (!row || row.vm !== vm) {
      log("warn", "result for an unknown command", { vm, id: frame.id });
      return;
    }
    if (row.state === "done" || row.state === "late") return;
    const late = row.state === "expired";
    store.exec(
      "UPDATE commands SET state = ?, result = ? WHERE id = ?",
      late ? "late" : "done",
      JSON.stringify(frame),
      frame.id,
    );
    const actor = JSON.parse(row.actor) as Actor;
    audit.append({
      actor,
      action: row.action,
      target: vm,
      outcome: `${frame.ok ? "ok" : "failed"}${late ? " (late)" : ""}`,
      ref: frame.id,
      durationMs: clock.now() - row.created_at,
      ...(frame.error ? { detail: `${frame.error.code}: ${frame.error.message}` } : {}),
    });
    finish(frame.id, {
      id: frame.id,
      vm,
      action: row.action,
      ok: frame.ok,
      ...(frame.output === undefined ? {} : { output: frame.output }),
      ...(frame.error ? { error: frame.error } : {}),
    });
    hooks.onResult?.(vm, frame);
  }

  function onFrame(vm: string, link: SidecarLink, frame: Frame): void {
    switch (frame.type) {
      case "hello":
        if (frame.vm !== vm) {
          send(link, frameError("wrong-vm", `this credential belongs to ${vm}, not ${frame.vm}`));
          link.close(4403, "wrong vm");
          return;
        }
        store.exec(
          "UPDATE vms SET hello = ?, last_seen = ? WHERE name = ?",
          JSON.stringify(frame),
          clock.now(),
          vm,
        );
        hooks.onHello?.(vm, frame);
        redeliver(vm, link);
        return;
      case "heartbeat":
        store.exec(
          "UPDATE vms SET last_seen = ?, figures = ?, failed_units = ?, peers = ? WHERE name = ?",
          clock.now(),
          JSON.stringify(frame.figures),
          JSON.stringify(frame.failedUnits),
          JSON.stringify(frame.peers),
          vm,
        );
        hooks.onHeartbeat?.(vm, frame);
        return;
      case "ack":
        if (frame.of === "command")
          store.exec("UPDATE commands SET state = 'acked' WHERE id = ? AND state = 'sent'", frame.id);
        return;
      case "result":
        onResult(vm, link, frame);
        return;
      case "event": {
        send(link, { type: "ack", id: frame.id, of: "event" });
        // A command's progress goes to whoever waits for it, and is not kept.
        if (frame.kind === "command.progress") {
          const waiter = waiters.get(String(frame.data["command"] ?? ""));
          const step = frame.data["step"];
          if (typeof step === "string") waiter?.onProgress?.(step.slice(0, 40), frame.at);
          return;
        }
        // Lease votes are state, not history: they come with every heartbeat and are not kept.
        if (frame.kind.startsWith("lease.")) {
          hooks.onEvent?.(vm, frame);
          return;
        }
        const inserted = store.exec(
          "INSERT INTO events (id, vm, kind, at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING RETURNING id",
          frame.id,
          vm,
          frame.kind,
          frame.at,
          JSON.stringify(frame.data),
        );
        if (inserted.length > 0) hooks.onEvent?.(vm, frame);
        return;
      }
      case "error":
        log("warn", "sidecar reported an error", {
          vm,
          code: frame.code,
          message: frame.message,
          ref: frame.ref,
        });
        return;
      case "command":
        send(link, frameError("unexpected-frame", "sidecars do not send commands to the controller"));
        return;
    }
  }

  const controller: Controller = {
    audit,

    async authenticateSidecar(vm, key, from = "") {
      const expected = vm === null ? undefined : sidecarKeys.get(vm);
      const ok = expected !== undefined && key !== undefined && (await secretsEqual(key, expected));
      if (ok) return { ok: true };
      const why =
        vm === null ? "no vm named" : key === undefined ? "no credential" : "wrong credential or unknown vm";
      // The vm and the address come from a caller without a key: cleaned, clipped and counted.
      const shownVm = cleanUntrusted(vm ?? "?", 64);
      audit.refusal({
        actor: { kind: "api", id: `sidecar:${shownVm}` },
        action: "sidecar-connect",
        target: shownVm,
        outcome: "refused",
        detail: `${why}${from ? ` from ${cleanUntrusted(from, 64)}` : ""}`,
        source: from || "unknown address",
        reason: why,
      });
      log("warn", "sidecar refused", { vm: shownVm, why });
      return key === undefined
        ? { ok: false, status: 401, message: "a sidecar must send its VM's key as a Bearer token" }
        : { ok: false, status: 403, message: "the key does not match this VM" };
    },

    onConnect(vm, link, { restored = false } = {}) {
      const previous = links.get(vm);
      links.set(vm, link);
      vmOfConn.set(link.connId, vm);
      if (restored) return;
      if (previous && previous.connId !== link.connId) {
        vmOfConn.delete(previous.connId);
        previous.close(4000, "replaced by a newer connection");
      }
      markConnected(vm, link);
      for (const wake of [...(linkWaiters.get(vm) ?? [])]) wake();
      audit.append({
        actor: sidecarActor(vm),
        action: "sidecar-connect",
        target: vm,
        outcome: "connected",
        ref: link.connId,
      });
    },

    onMessage(link, data) {
      const vm = vmOfConn.get(link.connId);
      if (vm === undefined) {
        link.close(4401, "unknown connection");
        return;
      }
      const parsed = parseFrame(data);
      if (!parsed.ok) {
        log("warn", "invalid frame from sidecar", {
          vm,
          code: parsed.error.code,
          message: parsed.error.message,
        });
        send(link, parsed.error);
        return;
      }
      try {
        onFrame(vm, link, parsed.frame);
      } catch (error) {
        log("error", "handling a frame failed", { vm, type: parsed.frame.type, error: String(error) });
        send(link, frameError("internal", "the controller could not handle this frame"));
      }
    },

    onClose(link) {
      const vm = vmOfConn.get(link.connId);
      vmOfConn.delete(link.connId);
      if (vm === undefined || links.get(vm)?.connId !== link.connId) return;
      links.delete(vm);
      store.exec("UPDATE vms SET connected = 0 WHERE name = ? AND conn_id = ?", vm, link.connId);
      audit.append({
        actor: sidecarActor(vm),
        action: "sidecar-connect",
        target: vm,
        outcome: "disconnected",
        ref: link.connId,
      });
      if (!stopped) hooks.onDisconnect?.(vm);
    },

    async dispatch(request) {
      const startedAt = clock.now();
      const { vm, actor } = request;
      const refuse = (error: Failure): CommandOutcome => {
        audit.append({
          actor,
          action: request.action.slice(0, 40),
          target: vm,
          args: request.args ?? {},
          outcome: "refused",
          detail: error.message,
        });
        return {
          id: null,
          vm,
          action: request.action,
          ok: false,
          error,
          durationMs: clock.now() - startedAt,
        };
      };
      const parsed = parseAction(request.action, request.args ?? {});
      if (!parsed.ok) return refuse(fail(parsed.code, parsed.message));
      if (inventory && !inventory.vm(vm) && !sidecarKeys.has(vm))
        return refuse(fail("unknown-vm", `there is no VM called "${vm.slice(0, 40)}"`));
      let link = links.get(vm);
      const lastSeen = link
        ? undefined
        : store.exec<{ last_seen: number | null }>("SELECT last_seen FROM vms WHERE name = ?", vm)[0]
            ?.last_seen;
      const expectedSoon =
        clock.now() - controllerStartedAt < 60_000 || (lastSeen != null && clock.now() - lastSeen < 60_000);
      if (!link && connectWaitMs > 0 && sidecarKeys.has(vm) && expectedSoon)
        link = await waitForLink(vm, connectWaitMs);
      if (!link) {
        const when = lastSeen
          ? `last heard from ${Math.round((clock.now() - lastSeen) / 1000)} s ago`
          : "never connected";
        return refuse(fail("not-connected", `${vm}'s sidecar is not connected (${when})`, true));
      }
      const id = newId();
      const deadline =
        startedAt + (request.timeoutMs ?? actionSpecs[parsed.action].timeoutMs ?? defaultTimeoutMs);
      store.exec(
        "INSERT INTO commands (id, vm, action, args, actor, created_at, deadline, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'sent')",
        id,
        vm,
        parsed.action,
        JSON.stringify(parsed.args),
        JSON.stringify(actor),
        startedAt,
        deadline,
      );
      audit.append({
        actor,
        action: parsed.action,
        target: vm,
        args: parsed.args,
        outcome: "dispatched",
        ref: id,
      });
      const outcome = new Promise<CommandOutcome>((resolve) => {
        const timer = setTimeout(() => expire(id), Math.max(deadline - clock.now(), 0));
        waiters.set(id, {
          resolve,
          timer,
          startedAt,
          ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        });
      });
      send(link, { type: "command", id, action: parsed.action, args: parsed.args, deadline });
      return outcome;
    },

    fleet: () => readFleet(store, clock.now(), inventory),

    connected: (vm) => links.has(vm),

    command(id) {
      const row = store.exec<CommandRow & { created_at: number; result: string | null }>(
        "SELECT * FROM commands WHERE id = ?",
        id,
      )[0];
      if (!row) return undefined;
      return {
        id: row.id,
        vm: row.vm,
        action: row.action,
        state: row.state,
        createdAt: row.created_at,
        deadline: row.deadline,
        result: row.result === null ? null : (JSON.parse(row.result) as ResultFrame),
      };
    },

    stop() {
      stopped = true;
      // Tells each sidecar the controller is restarting, so it redials at once (protocol/controller-restart.ts).
      for (const link of links.values()) {
        try {
          link.close(CONTROLLER_RESTART_CLOSE.code, CONTROLLER_RESTART_CLOSE.reason);
        } catch {
          // Already closed: nothing to tell.
        }
      }
      for (const [id, waiter] of waiters) {
        clearTimeout(waiter.timer);
        waiter.resolve({
          id,
          vm: "",
          action: "",
          ok: false,
          error: fail("stopping", "the controller is restarting; the command's result will be kept", true),
          durationMs: 0,
        });
      }
      waiters.clear();
    },

    tick() {
      const now = clock.now();
      if (now - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now;
        store.exec("DELETE FROM events WHERE at < ?", now - KEEP_HISTORY_MS);
        store.exec(
          "DELETE FROM commands WHERE created_at < ? AND state IN ('done', 'late', 'expired')",
          now - KEEP_HISTORY_MS,
        );
      }
      const overdue = store.exec<{ id: string }>(
        "SELECT id FROM commands WHERE state IN ('sent', 'acked') AND deadline <= ?",
        now,
      );
      for (const { id } of overdue) expire(id);
      const next = store.exec<{ next: number | null }>(
        "SELECT MIN(deadline) AS next FROM commands WHERE state IN ('sent', 'acked')",
      )[0];
      return next?.next ?? null;
    },
  };
  return controller;
}
