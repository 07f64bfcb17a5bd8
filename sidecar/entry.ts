/** Process entry of the bundled sidecar (dist/voxops-sidecar.mjs) that deploy/ installs on a VM. */
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2));
