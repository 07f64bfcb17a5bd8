/**
 * `voxops doctor --vm NAME`: on a VM, runs the installed sidecar's own doctor (the bundle's `doctor`
 * subcommand) as the `voxops` user with the Node the installer put in the unit, and passes on its
 * sentences and exit code.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { parseCommandLine } from "../../protocol/command-line.ts";

const commandLine = {
  name: "doctor",
  help: `usage: voxops doctor --vm NAME [--bundle PATH] [--unit-dir DIR]
  Run on a VM where deploy/install-sidecar.sh installed the sidecar: checks, as the sidecar's own user
  voxops, that it works (Node, the inventory, the unit, the link to a controller, every inventory
  unit and its journal, polkit's allowlist, the root helper, the declared directories), one sentence
  per check; exit 0 only when all pass. As root it uses runuser, otherwise sudo runuser.

  --vm NAME        the VM's name as installed (the unit is NAME-agent.service)
  --bundle PATH    the installed sidecar (default /opt/voxops/voxops-sidecar.mjs)
  --unit-dir DIR   where the unit file is (default /etc/systemd/system)`,
  options: { vm: { type: "string" }, bundle: { type: "string" }, "unit-dir": { type: "string" } },
} as const;

/** The Node the installed unit runs: the first word of its `ExecStart=`, or undefined when there is no unit. */
export function unitNode(unitText: string): string | undefined {
  const line = unitText.split("\n").find((l) => l.startsWith("ExecStart="));
  const node = line?.slice("ExecStart=".length).trim().split(/\s+/)[0];
  return node?.startsWith("/") ? node : undefined;
}

/** The argument vector that runs `argv` as the `voxops` user from the current user. */
export function asVoxops(argv: readonly string[], currentUser: string): string[] {
  if (currentUser === "voxops") return [...argv];
  const runuser = ["runuser", "-u", "voxops", "--", ...argv];
  return currentUser === "root" ? runuser : ["sudo", ...runuser];
}

/** Runs the installed sidecar's doctor on this VM; returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(commandLine, argv);
  if (!line.run) return line.exitCode;
  const { vm, bundle = "/opt/voxops/voxops-sidecar.mjs" } = line.values;
  const unitDir = line.values["unit-dir"] ?? "/etc/systemd/system";
  if (vm === undefined || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(vm)) {
    process.stderr.write(
      `voxops doctor: name the VM with --vm NAME (letters, digits, dot, dash, underscore), as given to the installer.\n`,
    );
    return 2;
  }
  const unitPath = `${unitDir}/${vm}-agent.service`;
  const node = existsSync(unitPath) ? unitNode(readFileSync(unitPath, "utf8")) : undefined;
  if (node === undefined || !existsSync(bundle)) {
    process.stderr.write(
      `voxops doctor: the sidecar for ${vm} is not installed on this machine (${
        node === undefined ? `no ${unitPath} with an ExecStart` : `no ${bundle}`
      }). Install it with deploy/install-sidecar.sh --vm ${vm} (README "A sidecar on each VM"), then run this again.\n`,
    );
    return 1;
  }
  const [command, ...args] = asVoxops([node, bundle, "doctor", "--vm", vm], userInfo().username);
  return await new Promise<number>((resolve) => {
    const child = spawn(command!, args, { stdio: "inherit" });
    child.on("error", (error) => {
      process.stderr.write(`voxops doctor: could not run ${command} (${error.message}).\n`);
      resolve(1);
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}
