/** Process entry of the bundled sidecar (dist/voxops-sidecar.mjs) that deploy/ installs on a VM. */
import { doctorMain } from "./doctor.ts";
import { main } from "./main.ts";
import { helperMain } from "./privilege/helper.ts";

// `voxops-sidecar.mjs helper …` is the root helper (deploy/install-sidecar.sh installs its wrapper).
const argv = process.argv.slice(2);
// `voxops-sidecar.mjs doctor --vm NAME` checks an installed sidecar (README "A sidecar on each VM").
process.exitCode =
  argv[0] === "helper"
    ? await helperMain(argv.slice(1))
    : argv[0] === "doctor"
      ? await doctorMain(argv.slice(1))
      : await main(argv);
