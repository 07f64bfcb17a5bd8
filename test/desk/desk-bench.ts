/**
 * A bench for desk unit tests: the real controller, policy gate, confirmations and understanding over
 * an in-memory node:sqlite store, with fake sidecar links that answer every command at once and
 * record what they were sent. Test code.
 */
import type { Actor } from "../../edge/core/actors.ts";
import { createAudit } from "../../edge/core/audit.ts";
import { createConfirmations } from "../../edge/core/confirmations.ts";
import { type Controller, createController, type SidecarLink } from "../../edge/core/controller.ts";
import { createOperatorDesk, type DeskOptions, type OperatorDesk } from "../../edge/core/operator-desk.ts";
import { createPolicyGate } from "../../edge/core/policy.ts";
import { migrate } from "../../edge/core/store.ts";
import { openSqliteStore } from "../../edge/node/sqlite-store.ts";
import { createUnderstander } from "../../edge/understand/understand.ts";
import { PROTOCOL_VERSION } from "../../protocol/frames.ts";
import { type Inventory, parseInventory } from "../../protocol/inventory.ts";

/** The eval inventory: nginx on both VMs, grok-voice (alias "voice") on vm1 only. */
export const benchInventory: Inventory = (() => {
  const parsed = parseInventory({
    vms: {
      vm1: {
        role: "main",
        aliases: ["main", "first", "vm1", "первая", "основная", "первый"],
        services: [{ name: "grok-voice", aliases: ["voice"] }, "admin-api", "nginx", "worker-queue"],
      },
      vm2: {
        role: "hub",
        aliases: ["hub", "second", "vm2", "вторая", "хаб", "второй"],
        services: ["mcp-hub", "postgresql", "nginx", "billing-api"],
      },
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.inventory;
})();

/** Requesters of each role. */
export const admin: Actor = { kind: "telegram", id: "1001", role: "admin" };
export const otherAdmin: Actor = { kind: "telegram", id: "1002", role: "admin" };
export const operator: Actor = { kind: "api", id: "token:op", role: "operator" };
export const viewer: Actor = { kind: "telegram", id: "1003", role: "viewer" };

/** A command a fake sidecar received. */
export interface SentCommand {
  readonly vm: string;
  readonly action: string;
  readonly args: Record<string, unknown>;
}

/** A test clock moved by hand. */
export interface BenchClock {
  now(): number;
  advance(ms: number): void;
}

/** The bench. */
export interface DeskBench {
  readonly desk: OperatorDesk;
  readonly controller: Controller;
  readonly clock: BenchClock;
  /** Commands the fake sidecars received, in order. */
  readonly sent: SentCommand[];
  /** Connects a fake sidecar for `vm` and sends its hello and a heartbeat. */
  connect(vm: string): void;
  /** Sends a heartbeat from `vm` at the current time. */
  heartbeat(vm: string): void;
  close(): void;
}

const figures = {
  uptimeS: 1000,
  load: [0.1, 0.2, 0.3],
  memory: { totalB: 8 * 1024 ** 3, availableB: 6 * 1024 ** 3 },
  disk: { path: "/", totalB: 100 * 1024 ** 3, freeB: 60 * 1024 ** 3 },
};

/** What a fake sidecar answers for an action, in the form the action's definition declares (the controller checks it). */
function outputFor(vm: string, action: string, args: Record<string, unknown>): unknown {
  const service = String(args["service"] ?? "grok-voice");
  switch (action) {
    case "restart":
      return {
        vm,
        service,
        unit: `${service}.service`,
        durationMs: 2100,
        verified: { ok: true, state: "active/running", pid: 42, health: null, reason: null },
      };
    case "reboot":
      return { vm, mode: args["mode"] ?? "soft", requestedAt: "2026-11-24T12:00:00.000Z" };
    case "status":
      return {
        vm,
        figures,
        services: [
          {
            name: "grok-voice",
            unit: "grok-voice.service",
            state: "active",
            subState: "running",
            since: null,
            pid: 42,
            memoryB: 50 * 1024 ** 2,
          },
        ],
        failing: [],
      };
    case "logs":
      return {
        vm,
        service,
        unit: `${service}.service`,
        lines: ["2026-11-24T12:00:00+00:00 vm grok-voice[1]: hello"],
        truncated: false,
      };
    case "fix":
      return { vm, results: [], ok: true };
    default:
      return {};
  }
}

/** Builds the bench; `options` override desk options (e.g. confirmTtlMs, reboot). */
export function createDeskBench(options: Partial<DeskOptions> = {}): DeskBench {
  const store = openSqliteStore(":memory:");
  migrate(store);
  let t = Date.UTC(2026, 10, 24, 12);
  const clock: BenchClock = {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
  const audit = createAudit({ store, now: () => clock.now(), secrets: () => [] });
  const controller = createController({
    store,
    clock,
    audit,
    sidecarKeys: new Map([
      ["vm1", "bench-key-of-vm1-0001"],
      ["vm2", "bench-key-of-vm2-0002"],
    ]),
    inventory: benchInventory,
    defaultTimeoutMs: 5_000,
  });
  const sent: SentCommand[] = [];
  const links = new Map<string, SidecarLink>();
  const deliver = (link: SidecarLink, frame: unknown) => controller.onMessage(link, JSON.stringify(frame));

  function connect(vm: string): void {
    const link: SidecarLink = {
      connId: `conn-${vm}-${links.size}`,
      send(text) {
        const frame = JSON.parse(text) as {
          type: string;
          id: string;
          action: string;
          args: Record<string, unknown>;
        };
        if (frame.type !== "command") return;
        sent.push({ vm, action: frame.action, args: frame.args });
        queueMicrotask(() => {
          deliver(link, { type: "ack", id: frame.id, of: "command" });
          deliver(link, {
            type: "result",
            id: frame.id,
            ok: true,
            output: outputFor(vm, frame.action, frame.args),
          });
        });
      },
      close() {},
    };
    links.set(vm, link);
    controller.onConnect(vm, link);
    deliver(link, {
      type: "hello",
      v: PROTOCOL_VERSION,
      vm,
      version: "bench",
      capabilities: [],
      services: [],
      startedAt: clock.now(),
    });
    heartbeat(vm);
  }

  function heartbeat(vm: string): void {
    const link = links.get(vm);
    if (!link) throw new Error(`${vm} is not connected`);
    deliver(link, { type: "heartbeat", at: clock.now(), figures, failedUnits: [], peers: [] });
  }

  const desk = createOperatorDesk({
    controller,
    inventory: benchInventory,
    understander: createUnderstander(benchInventory),
    gate: createPolicyGate({ clock }),
    confirmations: createConfirmations(store, () => clock.now()),
    now: () => clock.now(),
    ...options,
  });
  return {
    desk,
    controller,
    clock,
    sent,
    connect,
    heartbeat,
    close() {
      controller.stop();
      store.close();
    },
  };
}
