/** The `probe` action: the controller asks this sidecar to reach a peer VM now (an indirect probe). */
import type { PeerProber } from "../peer/peer-prober.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";

/** Creates the handler over the sidecar host's peer prober (none when VOXOPS_PEERS names no peers). */
export function createProbe(prober: () => PeerProber | undefined): ActionHandler<"probe"> {
  return async (args, ctx) => {
    const vm = String(args.vm);
    if (vm === ctx.vm) return { reached: true, detail: `${vm} is this VM` };
    const p = prober();
    if (!p)
      throw new ActionError(
        "no-peers",
        "this sidecar has no peer list (set VOXOPS_PEERS and VOXOPS_PEER_LISTEN)",
      );
    if (!p.knows(vm)) throw new ActionError("unknown-peer", `${vm} is not in this sidecar's VOXOPS_PEERS`);
    return p.probeNow(vm);
  };
}
