/** The process's peer prober, set by the sidecar's entry point and read by the `probe` action. */
import type { PeerProber } from "./peer-prober.ts";

let active: PeerProber | undefined;

/** Makes `prober` the one the `probe` action uses (undefined clears it). */
export function setActivePeerProber(prober: PeerProber | undefined): void {
  active = prober;
}

/** The prober the entry point started, if any. */
export function activePeerProber(): PeerProber | undefined {
  return active;
}
