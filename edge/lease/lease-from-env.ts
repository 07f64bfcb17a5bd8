/**
 * Which fencing lease a controller uses, from VOXOPS_LEASE_ROLE: "primary" (the edge, with a mirror
 * deployed), "secondary" (the Fly mirror), or unset (a lone controller: it always holds the lease).
 */
import type { Clock } from "../core/clock.ts";
import { createFencingLease, type FencingLease } from "./fencing-lease.ts";

/** The lease for this controller, or undefined when it is the only one. */
export function leaseFromEnv(options: {
  env: Readonly<Record<string, unknown>>;
  vms: readonly string[];
  clock: Clock;
  onChange?: (holds: boolean, why: string) => void;
}): FencingLease | undefined {
  const role = options.env.VOXOPS_LEASE_ROLE;
  if (role !== "primary" && role !== "secondary") return undefined;
  return createFencingLease({
    role,
    vms: options.vms,
    clock: options.clock,
    ...(options.onChange ? { onChange: options.onChange } : {}),
  });
}
