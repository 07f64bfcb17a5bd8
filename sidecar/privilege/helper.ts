/**
 * The root helper (`voxops-sidecar.mjs helper …`, installed as /usr/lib/voxops/voxops-helper): the one
 * program the `voxops` user may run as root (through sudo). Each thing it does is checked against
 * the root-owned inventory, never against anything the sidecar says: replace a declared file, stop a
 * stale copy of a declared service, vacuum the journal, force a reboot, run a deploy's git and
 * build steps as the checkout's owner, and run a code change's writes, checks, commit and coding agent
 * as the service's owner (code-ops.ts). Refusals exit 3 with a sentence on stderr.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { chown, lstat, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vmNameSchema } from "../../protocol/frames.ts";
import type { ServiceSpec, VmSpec } from "../../protocol/inventory.ts";
import { execArgv, tail } from "../adapters/exec.ts";
import { loadSidecarInventory } from "../adapters/inventory-file.ts";
import { readDeclared } from "../adapters/read-declared.ts";
import { removeRotatedLogs } from "../adapters/rotated-logs.ts";
import { createSystemd } from "../adapters/systemd.ts";
import { commandName, judgeStale, readUnitCommand, terminate } from "../autofix/rule-kit/stale-process.ts";
import { CreationRefused } from "../creation/install-created.ts";
import { unitOf } from "../services/targets.ts";
import { portOwners } from "../system/ports.ts";
import { codeOp } from "./code-ops.ts";
import { commandAllowed, declaredWrite, gitRefusal, isPlainAbsolute } from "./helper-rules.ts";
import { putFile } from "./put-file.ts";

/** A refusal: the request is outside what the inventory allows (exit 3). */
class Refused extends Error {}

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function serviceOf(vm: VmSpec, name: string | undefined): ServiceSpec {
  const service = vm.services.find((s) => s.name === name);
  if (!service)
    throw new Refused(`${name ?? "(no service)"} is not a service of ${vm.name} in the inventory`);
  return service;
}

/** The owner of a directory from /etc/passwd; refuses root, which never runs a service's code here. */
async function ownerOf(dir: string): Promise<{ uid: number; gid: number; name: string; home: string }> {
  const s = await stat(dir).catch(() => null);
  if (!s) throw new Refused(`${dir} does not exist`);
  if (s.uid === 0)
    throw new Refused(`${dir} belongs to root; give the service its own user and chown its checkout to it`);
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((l) => l.split(":"))
    .find((f) => Number(f[2]) === s.uid);
  return {
    uid: s.uid,
    gid: line ? Number(line[3]) : s.gid,
    name: line?.[0] ?? String(s.uid),
    home: line?.[5] ?? "/",
  };
}

/** Runs argv as `owner` with its output passed through; resolves with the exit code. */
function runAs(
  owner: Awaited<ReturnType<typeof ownerOf>>,
  cwd: string,
  argv: readonly string[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<number> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(file ?? "false", args, {
      cwd,
      uid: owner.uid,
      gid: owner.gid,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        PATH,
        HOME: owner.home,
        USER: owner.name,
        LOGNAME: owner.name,
        LC_ALL: "C",
        GIT_TERMINAL_PROMPT: "0",
        ...extraEnv,
      },
    });
    child.on("error", (e) => {
      process.stderr.write(`cannot run ${file}: ${e.message}\n`);
      resolve(127);
    });
    child.on("close", (code) => resolve(code ?? 128));
  });
}

/** Runs a config check as `user` (empty: root, as the unit runs), the candidate in a private directory. */
async function checkAs(check: readonly string[], user: string, candidate: Buffer): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "voxops-check-"));
  try {
    const file = join(dir, "candidate");
    await writeFile(file, candidate, { mode: 0o600 });
    const argv = check.map((a) => a.replaceAll("{file}", file));
    if (user === "" || user === "root") {
      const [bin, ...args] = argv;
      const r = await execArgv(bin ?? "false", args, { env: { PATH }, timeoutMs: 60_000 });
      process.stdout.write(tail(`${r.stderr}\n${r.stdout}`, 8));
      return r.code;
    }
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .map((l) => l.split(":"))
      .find((f) => f[0] === user);
    if (!line) throw new Refused(`the service's user ${user} does not exist`);
    const owner = { uid: Number(line[2]), gid: Number(line[3]), name: user, home: line[5] ?? "/" };
    await chown(dir, owner.uid, owner.gid);
    await chown(file, owner.uid, owner.gid);
    return await runAs(owner, "/", argv);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function dispatch(
  vm: VmSpec,
  op: string | undefined,
  rest: string[],
  inventoryFile: string,
): Promise<number> {
  switch (op) {
    case "ping":
      process.stdout.write("voxops-helper: ready\n");
      return 0;
    case "polkit-check": {
      // Only root may ask polkit with details; the subject is the caller's own voxops process.
      const pid = Number(rest[0]);
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
      const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      const voxops = readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .map((l) => l.split(":"))
        .find((f) => f[0] === "voxops");
      if (!Number.isInteger(pid) || uid === undefined || uid !== voxops?.[2])
        throw new Refused("polkit-check needs a process of the voxops user");
      const ask = async (unit: string, verb: string) =>
        (
          await execArgv(
            "pkcheck",
            [
              "--action-id",
              "org.freedesktop.systemd1.manage-units",
              "--process",
              String(pid),
              "--detail",
              "unit",
              unit,
              "--detail",
              "verb",
              verb,
            ],
            { env: { PATH } },
          )
        ).code === 0;
      let ok = true;
      for (const service of vm.services) {
        const allowed = await ask(unitOf(service), "restart");
        ok &&= allowed;
        process.stdout.write(`${unitOf(service)} restart ${allowed ? "allowed" : "REFUSED"}\n`);
      }
      for (const [unit, verb] of [
        ["ssh.service", "stop"],
        ["debug-shell.service", "start"],
        [vm.services[0] ? unitOf(vm.services[0]) : "ssh.service", "stop"],
      ] as const) {
        const allowed = await ask(unit, verb);
        ok &&= !allowed;
        process.stdout.write(`${unit} ${verb} ${allowed ? "ALLOWED" : "refused"}\n`);
      }
      return ok ? 0 : 1;
    }
    case "put-file": {
      const [path, modeText] = rest;
      if (!path || !isPlainAbsolute(path))
        throw new Refused(`${path ?? "(no path)"} is not a plain absolute path`);
      const why = declaredWrite(vm, path);
      if (!why)
        throw new Refused(`${path} is not a declared config file or under a backed-up path of ${vm.name}`);
      const mode =
        modeText !== undefined && /^[0-7]{3,4}$/.test(modeText)
          ? Number.parseInt(modeText, 8) & 0o777
          : undefined;
      await putFile(path, await readStdin(), mode);
      process.stdout.write(`wrote ${path} (${why})\n`);
      return 0;
    }
    case "read-declared": {
      // A backup of a path only its owner can read: declared paths only, one path a request.
      const [path] = rest;
      if (!path || !isPlainAbsolute(path))
        throw new Refused(`${path ?? "(no path)"} is not a plain absolute path`);
      if (!declaredWrite(vm, path))
        throw new Refused(`${path} is not a declared config file or under a backed-up path of ${vm.name}`);
      process.stdout.write(`${JSON.stringify(await readDeclared(path, 5 * 1024 * 1024))}\n`);
      return 0;
    }
    case "remove-rotated-logs": {
      // Only the rotated copies (app.log.1, app.log.2.gz) beside the inventory's log files of the service.
      const service = serviceOf(vm, rest[0]);
      process.stdout.write(`${JSON.stringify(await removeRotatedLogs(service.logs))}\n`);
      return 0;
    }
    case "remove-file": {
      const [path] = rest;
      if (!path || !isPlainAbsolute(path))
        throw new Refused(`${path ?? "(no path)"} is not a plain absolute path`);
      const why = declaredWrite(vm, path);
      if (!why)
        throw new Refused(`${path} is not a declared config file or under a backed-up path of ${vm.name}`);
      const found = await lstat(path).catch(() => null);
      if (found && !found.isFile() && !found.isSymbolicLink())
        throw new Refused(`${path} is not a file; the helper removes only files`);
      await rm(path, { force: true });
      process.stdout.write(`${found ? "removed" : "already gone:"} ${path} (${why})\n`);
      return 0;
    }
    case "stop-stale": {
      const service = serviceOf(vm, rest[0]);
      const pid = Number(rest[1]);
      if (!Number.isInteger(pid) || pid < 2) throw new Refused(`${rest[1] ?? "(none)"} is not a process id`);
      const status = (await createSystemd().status([unitOf(service)]))[0] ?? null;
      const verdict = await judgeStale(pid, await readUnitCommand(status?.fragmentPath ?? null), {
        mainPid: status?.mainPid ?? null,
        workdir: service.workdir ?? null,
        proc: "/proc",
      });
      if (!verdict.stale) throw new Refused(`process ${pid} was not stopped: ${verdict.reason}`);
      const r = await terminate(pid, { graceMs: 3000 });
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return r.stopped ? 0 : 1;
    }
    case "port-holders": {
      const service = serviceOf(vm, rest[0]);
      const port = Number(rest[1]);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Refused(`${rest[1] ?? "(none)"} is not a port`);
      const status = (await createSystemd().status([unitOf(service)]))[0] ?? null;
      const unitCommand = await readUnitCommand(status?.fragmentPath ?? null);
      const holders = [];
      for (const o of await portOwners(port, "/proc")) {
        const v = await judgeStale(o.pid, unitCommand, {
          mainPid: status?.mainPid ?? null,
          workdir: service.workdir ?? null,
          proc: "/proc",
        });
        holders.push({
          pid: o.pid,
          name: await commandName(o.pid, "/proc", o.name),
          stale: v.stale,
          why: v.reason,
        });
      }
      process.stdout.write(`${JSON.stringify(holders)}\n`);
      return 0;
    }
    case "check-config": {
      const service = serviceOf(vm, rest[0]);
      const spec = service.configs.find((c) => c.path === rest[1]);
      if (!spec?.check)
        throw new Refused(`${rest[1] ?? "(no path)"} is not a config file of ${service.name} with a check`);
      const user = (
        await execArgv("systemctl", ["show", "-p", "User", "--value", "--", unitOf(service)], {
          env: { PATH },
        })
      ).stdout.trim();
      return await checkAs(spec.check, user, await readStdin());
    }
    case "vacuum-journal": {
      const bytes = Number(rest[0]);
      if (!Number.isInteger(bytes) || bytes < 1_000_000)
        throw new Refused("the journal is never vacuumed below 1 MB");
      const r = await execArgv("journalctl", [`--vacuum-size=${Math.floor(bytes / 1024)}K`], {
        env: { PATH },
      });
      process.stdout.write(tail(`${r.stdout}\n${r.stderr}`, 5));
      return r.code;
    }
    case "reboot-force": {
      const r = await execArgv("systemctl", ["reboot", "--force", "--no-wall"], { env: { PATH } });
      process.stderr.write(r.stderr);
      return r.code;
    }
    case "as-owner": {
      const [name, kind, ...more] = rest;
      const service = serviceOf(vm, name);
      if (kind === "git") {
        const refusal = gitRefusal(service, more);
        if (refusal || !service.repo) throw new Refused(refusal ?? "no checkout");
        const owner = await ownerOf(service.repo.path);
        const gitArgs = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", ...more];
        return runAs(owner, service.repo.path, ["git", ...gitArgs]);
      }
      if (kind === "run") {
        const [cwd, dashes, ...argv] = more;
        if (!cwd || dashes !== "--" || !commandAllowed(service, cwd, argv))
          throw new Refused(
            `that command is not one of ${service.name}'s build or dependency steps in the inventory`,
          );
        if ((await lstat(cwd)).isSymbolicLink()) throw new Refused(`${cwd} is a symbolic link`);
        const owner = await ownerOf(cwd);
        if (argv[0] !== "npm") return runAs(owner, cwd, argv);
        // The sidecar's unit keeps home directories read-only: npm's cache goes to a private directory.
        const cache = await mkdtemp(join(tmpdir(), "voxops-npm-"));
        try {
          await chown(cache, owner.uid, owner.gid);
          return await runAs(owner, cwd, argv, {
            npm_config_cache: cache,
            npm_config_update_notifier: "false",
          });
        } finally {
          await rm(cache, { recursive: true, force: true });
        }
      }
      throw new Refused(`as-owner ${kind ?? ""}: only git and run are known`);
    }
    default: {
      // A code change's steps as the service's owner: sidecar/privilege/code-ops.ts.
      const code = await codeOp(vm, op, rest, readStdin);
      if (code !== null) return code;
      // Creating services and scripts (issue 13): sidecar/creation/helper-ops.ts.
      const { creationOp } = await import("../creation/helper-ops.ts");
      const done = await creationOp(vm, inventoryFile, op, rest, async () =>
        (await readStdin()).toString("utf8"),
      );
      if (done !== null) return done;
      throw new Refused(`unknown helper operation ${op ?? "(none)"}`);
    }
  }
}

/** Runs the helper with its command line; returns the exit code. */
export async function helperMain(argv: string[]): Promise<number> {
  try {
    // The wrapper's own options come first; everything after the operation is its arguments, as given.
    const values: { vm?: string; inventory?: string } = {};
    let at = 0;
    while (argv[at] === "--vm" || argv[at] === "--inventory") {
      values[argv[at] === "--vm" ? "vm" : "inventory"] = argv[at + 1] ?? "";
      at += 2;
    }
    const positionals = argv.slice(at);
    if (process.getuid?.() !== 0) throw new Refused("the helper runs as root only (through sudo)");
    if (!values.vm || !vmNameSchema.safeParse(values.vm).success || !values.inventory)
      throw new Refused("the helper needs --vm NAME and --inventory FILE (the installed wrapper gives them)");
    const vm = loadSidecarInventory(values.vm, values.inventory).vm(values.vm);
    if (!vm) throw new Refused(`the inventory has no VM ${values.vm}`);
    const [op, ...rest] = positionals;
    return await dispatch(vm, op, rest, values.inventory);
  } catch (e) {
    process.stderr.write(`voxops-helper: ${(e as Error).message}\n`);
    return e instanceof Refused || e instanceof CreationRefused ? 3 : 1;
  }
}
