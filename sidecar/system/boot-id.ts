/**
 * The kernel's boot id: a random UUID chosen at every boot, so a hello carrying a different one means
 * the VM rebooted (a sidecar restart keeps it). The controller follows a reboot with it.
 */
import { readFileSync } from "node:fs";

/** Reads the boot id from /proc (or `file`); undefined where the kernel does not offer one. */
export function readBootId(file = "/proc/sys/kernel/random/boot_id"): string | undefined {
  try {
    const id = readFileSync(file, "utf8").trim();
    return /^[0-9a-f-]{8,64}$/i.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
