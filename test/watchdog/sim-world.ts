/**
 * A simulated fleet for watchdog scenarios: VMs that send heartbeats (with jitter and loss) and
 * probe each other, links that can be cut, one or two controllers (edge and mirror) each running
 * the real watchdog with its own store and a shared fencing lease, and the real Oracle client
 * talking to the real Oracle stand-in over 127.0.0.1, whose resets reboot the simulated VMs.
 */
import { generateKeyPairSync } from "node:crypto";
import type { AuditEntry } from "../../edge/core/audit.ts";
import type { Alert } from "../../edge/core/desk.ts";
import { createInstanceClient } from "../../edge/oracle/instance-client.ts";
import { readOracleConfig } from "../../edge/oracle/oracle-config.ts";
import { createWatchdog, type Watchdog } from "../../edge/watchdog/watchdog.ts";
import type { ResetBudget, WatchdogTimings } from "../../edge/watchdog/watchdog-config.ts";
import { createMemoryWatchdogStore } from "../../edge/watchdog/watchdog-store.ts";
import { type OciApiStandIn, startOciApiStandIn } from "../stand-ins/oci-api.ts";
import { createRandom, createSimClock, type SimClock } from "./sim-clock.ts";

/** How a VM fails: a hang ignores SOFTRESET (no OS to hear it); a crash-loop never comes back. */
export type FaultKind = "hang" | "never-recovers";

interface SimVm {
  readonly name: string;
  alive: boolean;
  booting: boolean;
  fault: FaultKind | null;
  bootedAt: number;
  peers: Map<string, { ok: boolean; lastOkAt: number | null; misses: number }>;
}

interface SimController {
  readonly name: string;
  up: boolean;
  watchdog: Watchdog;
  readonly store: ReturnType<typeof createMemoryWatchdogStore>;
  cancelAlarm: (() => void) | null;
  alarmAt: number | null;
}

/** What a scenario can read afterwards. */
export interface SimRecord {
  readonly alerts: { at: number; controller: string; alert: Alert }[];
  readonly audits: { at: number; controller: string; entry: AuditEntry }[];
  readonly commands: { at: number; controller: string; vm: string; action: string; via?: string }[];
  readonly probes: { at: number; controller: string; via: string; vm: string; reached: boolean | null }[];
  readonly errors: string[];
  readonly kills: { at: number; vm: string }[];
  /** Resets Oracle performed on a VM that was still booting from an earlier reset. */
  doubleResets: number;
}

/** Options of the world. */
export interface SimWorldOptions {
  readonly seed: number;
  readonly vms?: readonly string[];
  readonly controllers?: readonly string[];
  readonly timings?: Partial<WatchdogTimings>;
  readonly budget?: Partial<ResetBudget>;
  readonly autoReset?: Readonly<Record<string, boolean>>;
  /** Heartbeat jitter, ± ms (default 1000). */
  readonly jitterMs?: number;
  /** Time a VM takes from reset to its first heartbeat (default 60 s). */
  readonly bootMs?: number;
  readonly leaseTtlMs?: number;
  /** Deliver every alarm twice, as a retried Durable Object alarm would. */
  readonly duplicateAlarms?: boolean;
}

const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const env = {
  OCI_TENANCY: "ocid1.tenancy.oc1..simtenancy",
  OCI_USER: "ocid1.user.oc1..simuser",
  OCI_FINGERPRINT: "11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00",
  OCI_PRIVATE_KEY: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  OCI_REGION: "eu-frankfurt-1",
};

/** The instance OCID of a simulated VM. */
export const instanceIdOf = (vm: string) => `ocid1.instance.oc1.eu-frankfurt-1.sim${vm}`;

const linkKey = (a: string, b: string) => [a, b].sort().join("|");

/** Builds the world; call `start()` before running and `close()` after. */
export async function createSimWorld(options: SimWorldOptions) {
  const random = createRandom(options.seed);
  const clock: SimClock = createSimClock(Date.UTC(2026, 0, 1, 3, 0, 0));
  const vmNames = options.vms ?? ["vm1", "vm2"];
  const jitter = options.jitterMs ?? 1_000;
  const bootMs = options.bootMs ?? 60_000;
  const leaseTtl = options.leaseTtlMs ?? 30_000;
  const timings = { heartbeatIntervalMs: 10_000, peerProbeIntervalMs: 60_000, ...options.timings };
  const record: SimRecord = {
    alerts: [],
    audits: [],
    commands: [],
    probes: [],
    errors: [],
    kills: [],
    doubleResets: 0,
  };
  const cut = new Set<string>();
  const loss = new Map<string, number>();
  const lease = { holder: null as string | null, expiresAt: 0 };
  const hooks: { onOracleAction?: (vm: string, action: string) => void } = {};
  const vms = new Map<string, SimVm>(
    vmNames.map((name) => [
      name,
      {
        name,
        alive: true,
        booting: false,
        fault: null,
        bootedAt: clock.now() - 86_400_000,
        peers: new Map(),
      },
    ]),
  );

  const api: OciApiStandIn = await startOciApiStandIn({
    publicKey: keys.publicKey,
    keyId: `${env.OCI_TENANCY}/${env.OCI_USER}/${env.OCI_FINGERPRINT}`,
    now: clock.now,
  });
  const config = readOracleConfig({ ...env, OCI_ENDPOINT: api.url });
  if (!config.ok) throw new Error(config.errors.join("; "));
  const oracle = createInstanceClient({
    config: config.config,
    now: clock.now,
    sleep: async () => {},
    random,
  });

  const passes = (a: string, b: string) =>
    !cut.has(linkKey(a, b)) && random() >= (loss.get(linkKey(a, b)) ?? 0);
  const reachable = (from: string, to: string) => vms.get(to)?.alive === true && !cut.has(linkKey(from, to));

  function boot(vm: SimVm, after: number): void {
    vm.alive = false;
    vm.booting = true;
    clock.at(clock.now() + after, () => {
      vm.booting = false;
      if (vm.fault === "never-recovers") return;
      vm.alive = true;
      vm.fault = null;
      vm.bootedAt = clock.now();
    });
  }

  for (const name of vmNames)
    api.addInstance({
      id: instanceIdOf(name),
      displayName: name,
      onAction: (action) => {
        const vm = vms.get(name);
        if (!vm) return;
        hooks.onOracleAction?.(name, action);
        if (vm.booting) record.doubleResets += 1;
        if (action === "SOFTRESET" && vm.fault === "hang") return;
        boot(vm, bootMs);
      },
    });

  const controllers = new Map<string, SimController>();
  function makeWatchdog(c: { name: string; store: SimController["store"] }): Watchdog {
    const self = c.name;
    return createWatchdog({
      vms: vmNames.map((name) => ({
        name,
        autoReset: options.autoReset?.[name] ?? true,
        oci: { instanceId: instanceIdOf(name) },
      })),
      timings,
      ...(options.budget ? { budget: options.budget } : {}),
      ports: {
        clock,
        lease: { holdsLease: () => lease.holder === self && clock.now() < lease.expiresAt },
        store: c.store,
        oracle,
        notifier: {
          notify: async (alert) => void record.alerts.push({ at: clock.now(), controller: self, alert }),
        },
        audit: { append: (entry) => void record.audits.push({ at: clock.now(), controller: self, entry }) },
        onError: (error, context) => void record.errors.push(`${self} ${context}: ${String(error)}`),
        sidecars: {
          async probe({ via, vm }) {
            let reached: boolean | null = null;
            if (reachable(self, via)) {
              reached = false;
              for (let i = 0; i < 3 && !reached; i++) reached = reachable(via, vm) && passes(via, vm);
            }
            record.probes.push({ at: clock.now(), controller: self, via, vm, reached });
            return { reached, detail: reached === null ? `${via} is not connected` : `${via}: 3 attempts` };
          },
          async command({ vm, action, via }) {
            const path = via ? reachable(self, via) && reachable(via, vm) : reachable(self, vm);
            record.commands.push({ at: clock.now(), controller: self, vm, action, ...(via ? { via } : {}) });
            if (!path)
              return {
                ok: false,
                error: { code: "not-connected", message: `${vm} is not connected`, retryable: false },
              };
            const target = vms.get(vm);
            if (action === "reboot" && target) boot(target, bootMs);
            return { ok: true };
          },
        },
      },
    });
  }
  for (const name of options.controllers ?? ["edge"]) {
    const store = createMemoryWatchdogStore();
    const c: SimController = {
      name,
      up: true,
      store,
      watchdog: undefined as unknown as Watchdog,
      cancelAlarm: null,
      alarmAt: null,
    };
    c.watchdog = makeWatchdog(c);
    controllers.set(name, c);
  }
  const primary = [...controllers.keys()][0] as string;

  async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      await Promise.all([...controllers.values()].map((c) => c.watchdog.idle()));
      await new Promise((r) => setImmediate(r));
    }
    for (const c of controllers.values()) {
      if (!c.up) continue;
      const wake = await c.watchdog.nextWakeAt();
      if (c.alarmAt !== null && c.alarmAt <= wake && c.alarmAt > clock.now()) continue;
      c.cancelAlarm?.();
      c.alarmAt = wake;
      c.cancelAlarm = clock.at(wake, async () => {
        c.alarmAt = null;
        c.cancelAlarm = null;
        if (c.up && options.duplicateAlarms) await Promise.all([c.watchdog.tick(), c.watchdog.tick()]);
        else if (c.up) await c.watchdog.tick();
      });
    }
  }

  function renewLease(c: SimController): void {
    const edge = controllers.get(primary);
    const mayHold = c.name === primary || !edge?.up;
    if (c.up && mayHold && (lease.holder === c.name || clock.now() >= lease.expiresAt)) {
      lease.holder = c.name;
      lease.expiresAt = clock.now() + leaseTtl;
    }
  }

  function scheduleVm(vm: SimVm): void {
    const beat = (at: number) =>
      clock.at(at, async () => {
        if (vm.alive)
          for (const c of controllers.values()) {
            if (!c.up || !passes(c.name, vm.name)) continue;
            await c.watchdog.onHeartbeat(vm.name, {
              figures: {
                uptimeS: (clock.now() - vm.bootedAt) / 1000,
                load: [0.1, 0.1, 0.1],
                memory: { totalB: 1, availableB: 1 },
                disk: { path: "/", totalB: 1, freeB: 1 },
              },
              peers: [...vm.peers].map(([p, v]) => ({ vm: p, ...v })),
            });
          }
        beat(at + timings.heartbeatIntervalMs + (random() * 2 - 1) * jitter);
      });
    beat(clock.now() + random() * timings.heartbeatIntervalMs);
    const probe = (at: number) =>
      clock.at(at, () => {
        if (vm.alive)
          for (const other of vmNames) {
            if (other === vm.name) continue;
            const ok = reachable(vm.name, other) && passes(vm.name, other);
            const prev = vm.peers.get(other) ?? { ok: true, lastOkAt: null, misses: 0 };
            vm.peers.set(
              other,
              ok
                ? { ok: true, lastOkAt: clock.now(), misses: 0 }
                : { ...prev, ok: false, misses: prev.misses + 1 },
            );
          }
        probe(at + timings.peerProbeIntervalMs);
      });
    probe(clock.now() + random() * timings.peerProbeIntervalMs);
  }

  return {
    clock,
    api,
    record,
    lease,
    hooks,
    controllers,
    start(): void {
      for (const vm of vms.values()) scheduleVm(vm);
      const leaseTick = (at: number) =>
        clock.at(at, () => {
          for (const c of controllers.values()) renewLease(c);
          leaseTick(at + leaseTtl / 3);
        });
      leaseTick(clock.now());
    },
    /** Runs the world for `ms` of simulated time. */
    run: (ms: number) => clock.runUntil(clock.now() + ms, settle),
    /** Kills a VM now; a hang ignores SOFTRESET, never-recovers ignores everything. */
    kill(vm: string, fault: FaultKind = "hang"): void {
      const v = vms.get(vm);
      if (!v) return;
      v.alive = false;
      v.fault = fault;
      record.kills.push({ at: clock.now(), vm });
    },
    isAlive: (vm: string) => vms.get(vm)?.alive === true,
    cut: (a: string, b: string) => void cut.add(linkKey(a, b)),
    heal: (a: string, b: string) => void cut.delete(linkKey(a, b)),
    setLoss: (a: string, b: string, p: number) => void loss.set(linkKey(a, b), p),
    setController(name: string, up: boolean): void {
      const c = controllers.get(name);
      if (c) c.up = up;
    },
    /** Replaces a controller's watchdog object, as a Durable Object restarted after a crash. */
    restartController(name: string): void {
      const c = controllers.get(name);
      if (c) c.watchdog = makeWatchdog(c);
    },
    state: (controller: string) => controllers.get(controller)?.watchdog.state(),
    close: () => api.close(),
  };
}

/** The world's type. */
export type SimWorld = Awaited<ReturnType<typeof createSimWorld>>;
