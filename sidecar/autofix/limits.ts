/**
 * How often auto-repair may act: per service and rule at most N repairs in a rolling hour with a
 * doubling backoff between them, and per service a circuit breaker that opens after repeated failed
 * repairs. Each stop is announced once (`notify`), so the operator is told, not flooded.
 */

/** The limits' knobs (a subset of the settings). */
export interface LimitOptions {
  readonly perHour: number;
  /** A rule's own hourly cap (its `maxPerHour`); the lower of it and `perHour` applies. */
  readonly ruleCap?: (rule: string) => number;
  readonly backoffMs: number;
  readonly breakerFailures: number;
  readonly breakerCooldownMs: number;
  readonly now: () => number;
}

/** Whether a repair may run now. */
export type Gate =
  | { readonly kind: "go" }
  | { readonly kind: "backoff"; readonly until: number }
  | {
      readonly kind: "limited" | "paused";
      readonly until: number;
      /** True the first time this stop is reported; false while it lasts. */
      readonly notify: boolean;
      readonly failures: number;
      readonly repairs: number;
    };

/** The limits' state for every service and rule. */
export interface Limits {
  check(service: string, rule: string): Gate;
  /** Records that a repair started (it counts against the hourly limit even if it fails). */
  started(service: string, rule: string): void;
  /** Records how a repair ended; returns true when this failure opened the breaker. */
  finished(service: string, ok: boolean): boolean;
  /** Closes the breaker and clears the counts of a service (a human fixed it). */
  reset(service: string): void;
}

const HOUR = 3600_000;

/** Creates the limits with an injected clock. */
export function createLimits(options: LimitOptions): Limits {
  const repairs = new Map<string, number[]>();
  const failures = new Map<string, number>();
  const openUntil = new Map<string, number>();
  const told = new Set<string>();
  const recent = (key: string): number[] => {
    const cut = options.now() - HOUR;
    const list = (repairs.get(key) ?? []).filter((t) => t > cut);
    repairs.set(key, list);
    return list;
  };
  const once = (key: string): boolean => {
    if (told.has(key)) return false;
    told.add(key);
    return true;
  };
  return {
    check(service, rule) {
      const now = options.now();
      const key = `${service}|${rule}`;
      const list = recent(key);
      const open = openUntil.get(service);
      if (open !== undefined && open > now)
        return {
          kind: "paused",
          until: open,
          notify: once(`paused|${service}`),
          failures: failures.get(service) ?? 0,
          repairs: list.length,
        };
      if (open !== undefined) {
        openUntil.delete(service);
        failures.set(service, 0);
        told.delete(`paused|${service}`);
      }
      if (list.length >= Math.min(options.perHour, options.ruleCap?.(rule) ?? Number.POSITIVE_INFINITY))
        return {
          kind: "limited",
          until: (list[0] ?? now) + HOUR,
          notify: once(`limited|${key}`),
          failures: failures.get(service) ?? 0,
          repairs: list.length,
        };
      told.delete(`limited|${key}`);
      const last = list[list.length - 1];
      if (last !== undefined) {
        const until = last + options.backoffMs * 2 ** (list.length - 1);
        if (until > now) return { kind: "backoff", until };
      }
      return { kind: "go" };
    },
    started(service, rule) {
      const key = `${service}|${rule}`;
      recent(key).push(options.now());
    },
    finished(service, ok) {
      if (ok) {
        failures.set(service, 0);
        return false;
      }
      const n = (failures.get(service) ?? 0) + 1;
      failures.set(service, n);
      if (n >= options.breakerFailures && !openUntil.has(service)) {
        openUntil.set(service, options.now() + options.breakerCooldownMs);
        told.add(`paused|${service}`);
        return true;
      }
      return false;
    },
    reset(service) {
      failures.delete(service);
      openUntil.delete(service);
      told.delete(`paused|${service}`);
      for (const key of [...repairs.keys()]) if (key.startsWith(`${service}|`)) repairs.delete(key);
    },
  };
}
