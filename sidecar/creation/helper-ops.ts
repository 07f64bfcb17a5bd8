/**
 * The root helper's creation operations (`create-service`, `create-script`, `remove-created`): the
 * arguments are typed fields, checked again here against the root-owned inventory and registry; the
 * staging directory must be under the sidecar's own staging area. Prints the record as one JSON line.
 */
import { dirname, join } from "node:path";
import type { VmSpec } from "../../protocol/inventory.ts";
import { CreationRefused, installScript, installService, removeCreated } from "./install-created.ts";

const STAGING = "/var/lib/voxops/staging/";
const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const staged = (path: string | undefined): string => {
  if (!path?.startsWith(STAGING) || path.split("/").includes(".."))
    throw new CreationRefused(`${path ?? "(none)"} is not under ${STAGING}`);
  return path;
};

/** Runs one creation operation; null when `op` is not one of them. */
export async function creationOp(
  vm: VmSpec,
  inventoryFile: string,
  op: string | undefined,
  rest: readonly string[],
  request: () => Promise<string>,
): Promise<number | null> {
  const place = {
    vm,
    registry: join(dirname(inventoryFile), "created.json"),
    unitDir: "/etc/systemd/system",
    env: { PATH, LC_ALL: "C" },
  };
  let out: unknown;
  switch (op) {
    case "create-service": {
      const [name = "", port = "", entry = "", healthPath = "", staging] = rest;
      out = await installService(place, {
        name,
        port: Number(port),
        entry,
        healthPath,
        staging: staged(staging),
        request: (await request()).slice(0, 500),
      });
      break;
    }
    case "create-script": {
      const [name = "", language, staging, schedule] = rest;
      if (language !== "bash" && language !== "python")
        throw new CreationRefused(`${language ?? "(none)"} is not bash or python`);
      out = await installScript(place, {
        name,
        language,
        staging: staged(staging),
        request: (await request()).slice(0, 500),
        ...(schedule ? { schedule } : {}),
      });
      break;
    }
    case "remove-created":
      out = await removeCreated(place, rest[0] ?? "");
      break;
    default:
      return null;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}
