/**
 * `voxops-sidecar.mjs doctor --vm NAME`: proves an installed sidecar works on this VM, run as the
 * `voxops` user (`sudo runuser -u voxops -- node /opt/voxops/voxops-sidecar.mjs doctor --vm vm1`).
 * Each check prints one sentence with what was found and, when it fails, what to do; exit 1 on any failure.
 */
import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import type { Inventory } from "../protocol/inventory.ts";
import { knownSettingNames } from "../protocol/settings/known-settings.ts";
import { parseSettings } from "../protocol/settings/parse-settings.ts";
import { sidecarSettings } from "../protocol/settings/sidecar-settings.ts";
import { execArgv } from "./adapters/exec.ts";
import { createSystemd } from "./adapters/systemd.ts";
import { loadSidecarInventory } from "./main.ts";
import { declaredDirectories } from "./privilege/helper-rules.ts";
import { unitOf } from "./services/targets.ts";

/** One check's verdict. */
interface Check {
  readonly ok: boolean;
  readonly text: string;
}

const HELPER = "/usr/lib/voxops/voxops-helper";

async function checks(vm: string, inventoryFile: string): Promise<Check[]> {
  const out: Check[] = [];
  const add = (ok: boolean, text: string) => out.push({ ok, text });
  const major = Number(process.versions.node.split(".")[0]);
  add(
    major >= 20,
    `Node.js ${process.versions.node} at ${process.execPath}${major >= 20 ? "" : " is too old: install 20 or newer and run the installer again"}.`,
  );
  const user = userInfo().username;
  add(
    user === "voxops",
    user === "voxops"
      ? "Running as the voxops user."
      : `Running as ${user}, not voxops: run it as sudo runuser -u voxops -- …`,
  );
  let inventory: Inventory;
  try {
    inventory = loadSidecarInventory(vm, inventoryFile);
  } catch (e) {
    add(false, `The inventory ${inventoryFile} cannot be read: ${(e as Error).message}`);
    return out;
  }
  const spec = inventory.vm(vm);
  if (!spec) {
    add(false, `The inventory has no VM ${vm}; fix --vm or the inventory and run the installer again.`);
    return out;
  }
  add(true, `The inventory names ${vm} with ${spec.services.length} service(s).`);
  const systemd = createSystemd({ timeoutMs: 15_000 });
  const [agent] = await systemd.status([`${vm}-agent.service`]);
  add(
    agent?.activeState === "active",
    `${vm}-agent.service is ${agent?.activeState ?? "unknown"}${agent?.activeState === "active" ? "" : `: see journalctl -u ${vm}-agent.service`}.`,
  );
  const journal = await execArgv("journalctl", [
    "-u",
    `${vm}-agent.service`,
    "-o",
    "cat",
    "--no-pager",
    "-n",
    "400",
  ]);
  const connected = journal.stdout.split("\n").filter((l) => l.includes("connected to controller")).length;
  add(
    connected > 0,
    connected > 0
      ? "The sidecar has connected to its controller."
      : "The sidecar's journal shows no connection to a controller yet: check VOXOPS_CONTROLLERS and the key in /etc/voxops/sidecar.env.",
  );
  const units = spec.services.map(unitOf);
  const statuses = await systemd.status(units).catch(() => []);
  for (const s of statuses)
    add(
      s.loaded,
      s.loaded
        ? `${s.unit} is loaded (${s.activeState}).`
        : `${s.unit} does not exist on this VM: install it or remove it from the inventory.`,
    );
  const read = await execArgv("journalctl", ["-n", "1", "--no-pager", ...units.flatMap((u) => ["-u", u])]);
  add(
    read.code === 0 && !/not seeing messages/i.test(read.stderr),
    read.code === 0 && !/not seeing messages/i.test(read.stderr)
      ? "The services' journal is readable."
      : `The journal is not readable: ${read.stderr.trim().slice(0, 200)}`,
  );
  // polkit answers detailed questions only to root: the helper asks it about this very process.
  const polkit = await execArgv("sudo", ["-n", HELPER, "polkit-check", String(process.pid)]).catch(
    () => null,
  );
  add(
    polkit?.code === 0,
    polkit?.code === 0
      ? "polkit lets voxops restart exactly the inventory's units and refuses stopping ssh.service, starting debug-shell.service and stopping an inventory unit."
      : `polkit does not answer as installed (${(polkit?.stdout || polkit?.stderr || "no answer").trim().replace(/\n/g, "; ").slice(0, 300)}): run the installer again after changing the inventory.`,
  );
  const helper = await execArgv("sudo", ["-n", HELPER, "ping"]).catch(() => null);
  add(
    helper?.code === 0,
    helper?.code === 0
      ? "The root helper answers through sudo."
      : `The root helper does not answer: ${(helper?.stderr ?? "sudo is missing").trim().slice(0, 200)}`,
  );
  for (const dir of declaredDirectories(spec))
    add(
      existsSync(dir),
      existsSync(dir)
        ? `${dir} exists.`
        : `${dir} is declared but missing: run the installer again (it creates declared directories).`,
    );
  return out;
}

/** Runs the doctor; returns the exit code. */
export async function doctorMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { vm: { type: "string" }, inventory: { type: "string" } },
  });
  // The doctor reads the sidecar's own settings, parsed as the sidecar parses them.
  const settings = parseSettings(sidecarSettings, env, knownSettingNames).values;
  const vm = values.vm ?? settings.VOXOPS_VM;
  if (!vm) {
    process.stderr.write("voxops doctor: --vm NAME is required\n");
    return 2;
  }
  const results = await checks(
    vm,
    values.inventory ?? settings.VOXOPS_INVENTORY_FILE ?? "/etc/voxops/inventory.json",
  );
  for (const r of results) process.stdout.write(`${r.ok ? "ok  " : "FAIL"} ${r.text}\n`);
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(
    failed === 0
      ? `The sidecar for ${vm} works on this VM.\n`
      : `${failed} check(s) failed on ${vm}; fix them and run the doctor again.\n`,
  );
  return failed === 0 ? 0 : 1;
}
