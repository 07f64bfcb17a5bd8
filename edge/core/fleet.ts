/** What the controller knows of each VM: link state, last heartbeat, figures. */
import type { Figures } from "../../protocol/frames.ts";
import type { Inventory } from "../../protocol/inventory.ts";
import type { SqlStore } from "./store.ts";

/** One VM as the status views show it. */
export interface VmState {
  readonly vm: string;
  readonly role: string;
  readonly connected: boolean;
  readonly lastSeenAt: number | null;
  /** Seconds since the last frame from the VM's sidecar. */
  readonly lastSeenAgoS: number | null;
  readonly figures: Figures | null;
  readonly failedUnits: readonly string[];
  readonly sidecarVersion: string | null;
  readonly services: readonly string[];
}

type VmRow = {
  name: string;
  connected: number;
  last_seen: number | null;
  hello: string | null;
  figures: string | null;
  failed_units: string | null;
};

function json<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Reads every VM the controller has heard of, plus inventory VMs it has not heard from yet. */
export function readFleet(store: SqlStore, now: number, inventory?: Inventory): VmState[] {
  const rows = new Map(store.exec<VmRow>("SELECT * FROM vms ORDER BY name").map((r) => [r.name, r]));
  const names = new Set([...(inventory?.vms.map((v) => v.name) ?? []), ...rows.keys()]);
  return [...names].sort().map((name) => {
    const row = rows.get(name);
    const hello = json<{ version?: string; services?: string[] }>(row?.hello ?? null, {});
    const spec = inventory?.vm(name);
    return {
      vm: name,
      role: spec?.role ?? "",
      connected: row?.connected === 1,
      lastSeenAt: row?.last_seen ?? null,
      lastSeenAgoS: row?.last_seen ? Math.max(0, Math.round((now - row.last_seen) / 100) / 10) : null,
      figures: json<Figures | null>(row?.figures ?? null, null),
      failedUnits: json<string[]>(row?.failed_units ?? null, []),
      sidecarVersion: hello.version ?? null,
      services: spec?.services.map((s) => s.name) ?? hello.services ?? [],
    };
  });
}
