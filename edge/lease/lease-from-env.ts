/**
 * Which fencing lease a controller uses, from the typed setting VOXOPS_LEASE_ROLE: "primary" (the
 * edge, with a mirror deployed), "secondary" (the Fly mirror), or unset (a lone controller: it always
 * holds the lease).
 */
import type { EdgeSettings } from "../../protocol/settings/edge-settings.ts";
import type { Clock } from "../core/clock.ts";
import { createFencingLease, type FencingLease } from "./fencing-lease.ts";

/** The lease for this controller, or undefined when it is the only one. */
export function leaseFromEnv(options: {
  role: EdgeSettings["VOXOPS_LEASE_ROLE"];
  vms: readonly string[];
  clock: Clock;
  onChange?: (holds: boolean, why: string) => void;
}): FencingLease | undefined {
  const { role } = options;
  if (role === undefined) return undefined;
  return createFencingLease({
    role,
    vms: options.vms,
    clock: options.clock,
    ...(options.onChange ? { onChange: options.onChange } : {}),
  });
}
