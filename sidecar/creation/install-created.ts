/**
 * The privileged half of creating services and scripts: copy the checked files from the sidecar's
 * staging directory, write the units from the template, verify them with systemd-analyze, enable
 * and start them, and record them; undo everything on any failure. The root helper runs this on an
 * installed VM (the sidecar's user cannot write unit files); the local run and tests run it directly.
 * Every decision comes from the inventory and the registry, never from the caller's word.
 */
import { chmod, lstat, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  createdNameSchema,
  entryLanguage,
  newFilePathSchema,
  onCalendarSchema,
  scriptPath,
  scriptUnitText,
  serviceDir,
  serviceUnitName,
  serviceUnitText,
  timerUnitName,
  timerUnitText,
} from "../../protocol/created-units.ts";
import type { VmSpec } from "../../protocol/inventory.ts";
import { execArgv, tail } from "../adapters/exec.ts";
import { portOwners } from "../system/ports.ts";
import { type CreatedRecord, readRegistry, writeRegistry } from "./created-registry.ts";

/** A request outside what the inventory allows (the helper exits 3 with it). */
export class CreationRefused extends Error {}

/** Where the installer works. */
export interface InstallPlace {
  readonly vm: VmSpec;
  readonly registry: string;
  /** Where unit files go (/etc/systemd/system). */
  readonly unitDir: string;
  readonly env: NodeJS.ProcessEnv;
}

const MAX_FILES = 20;
const MAX_BYTES = 200_000;

const systemctl = (place: InstallPlace, args: string[]) =>
  execArgv("systemctl", args, { env: place.env, timeoutMs: 60_000 });

/** Refuses a name that is taken: by the inventory, by something voxops made, or by any unit systemd knows. */
async function refuseTakenName(place: InstallPlace, name: string, units: readonly string[]): Promise<void> {
  const parsed = createdNameSchema.safeParse(name);
  if (!parsed.success)
    throw new CreationRefused(
      `refused name ${JSON.stringify(name.slice(0, 40))}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    );
  if (place.vm.services.some((s) => s.name === name))
    throw new CreationRefused(`${name} is already a service of ${place.vm.name} in the inventory`);
  if (readRegistry(place.registry).some((r) => r.name === name))
    throw new CreationRefused(`voxops already created ${name} on ${place.vm.name}`);
  for (const unit of [`${name}.service`, ...units]) {
    const r = await systemctl(place, ["show", "-p", "LoadState", "--value", "--", unit]);
    const state = r.stdout.trim();
    if (r.code === 0 && state !== "not-found" && state !== "")
      throw new CreationRefused(`a unit named ${unit} already exists on ${place.vm.name}`);
  }
}

/** The regular files of a staging directory (no links, no devices), at most one level deep. */
async function stagedFiles(staging: string): Promise<{ rel: string; bytes: Buffer }[]> {
  if (!staging.startsWith("/") || staging.split("/").includes(".."))
    throw new CreationRefused(`${staging} is not a plain absolute path`);
  const out: { rel: string; bytes: Buffer }[] = [];
  const walk = async (dir: string, prefix: string, depth: number) => {
    for (const entry of await readdir(dir)) {
      const abs = join(dir, entry);
      const rel = prefix ? `${prefix}/${entry}` : entry;
      const info = await lstat(abs);
      if (info.isDirectory() && depth === 0) await walk(abs, rel, 1);
      else if (info.isFile() && newFilePathSchema.safeParse(rel).success && info.size <= MAX_BYTES)
        out.push({ rel, bytes: await readFile(abs) });
      else throw new CreationRefused(`the staged ${rel} is not a plain file voxops can install`);
      if (out.length > MAX_FILES) throw new CreationRefused(`more than ${MAX_FILES} files`);
    }
  };
  await walk(staging, "", 0);
  return out;
}

/** Writes a unit file and has systemd-analyze verify it; returns the problem, or null. */
async function writeUnit(place: InstallPlace, unit: string, text: string): Promise<string | null> {
  const path = join(place.unitDir, unit);
  await writeFile(path, text, { mode: 0o644 });
  const r = await execArgv("systemd-analyze", ["verify", path], { env: place.env, timeoutMs: 60_000 });
  return r.code === 0
    ? null
    : `systemd-analyze verify ${unit} failed: ${tail(`${r.stderr}\n${r.stdout}`, 6)}`;
}

/** Undoes a creation: stops and disables the units, removes them and the files, forgets the record. */
async function undo(place: InstallPlace, units: readonly string[], paths: readonly string[], name: string) {
  for (const unit of units) {
    await systemctl(place, ["disable", "--now", "--", unit]);
    await rm(join(place.unitDir, unit), { force: true });
  }
  await systemctl(place, ["daemon-reload"]);
  for (const p of paths) await rm(p, { recursive: true, force: true });
  const left = readRegistry(place.registry).filter((r) => r.name !== name);
  await writeRegistry(place.registry, left);
}

/** Creates a service: files from `staging`, the unit from the template, enabled and started. */
export async function installService(
  place: InstallPlace,
  req: { name: string; port: number; entry: string; healthPath: string; staging: string; request: string },
): Promise<CreatedRecord> {
  const spec = place.vm.code?.newServices;
  if (!spec)
    throw new CreationRefused(
      `the inventory does not let voxops create services on ${place.vm.name}: add "code": {"newServices": {"root": "/srv/new"}} to the VM`,
    );
  const unit = serviceUnitName(req.name);
  await refuseTakenName(place, req.name, [unit]);
  const [low, high] = spec.portRange;
  if (!Number.isInteger(req.port) || req.port < low || req.port > high)
    throw new CreationRefused(`port ${req.port} is outside the range ${low}-${high} the inventory allows`);
  if ((await portOwners(req.port)).length > 0)
    throw new CreationRefused(`port ${req.port} is already in use on ${place.vm.name}`);
  if (!/^\/[A-Za-z0-9_./-]{0,200}$/.test(req.healthPath))
    throw new CreationRefused("the health path is not a plain URL path");
  const files = await stagedFiles(req.staging);
  if (!files.some((f) => f.rel === req.entry))
    throw new CreationRefused(`the entry file ${req.entry} is not among the service's files`);
  const lang = entryLanguage(req.entry);
  if (lang !== "node" && lang !== "python")
    throw new CreationRefused(`${req.entry} is not a .js, .mjs or .py file voxops can start`);
  const dir = serviceDir(spec, req.name);
  if (await lstat(dir).catch(() => null)) throw new CreationRefused(`${dir} already exists`);
  const text = serviceUnitText(spec, req);
  const made: string[] = [];
  try {
    await mkdir(spec.root, { recursive: true, mode: 0o755 });
    await mkdir(dir, { mode: 0o755 });
    made.push(dir);
    for (const f of files) {
      await mkdir(dirname(join(dir, f.rel)), { recursive: true, mode: 0o755 });
      await writeFile(join(dir, f.rel), f.bytes, { mode: 0o644 });
      await chmod(join(dir, f.rel), 0o644);
    }
    const problem = await writeUnit(place, unit, text);
    if (problem) throw new Error(problem);
    await systemctl(place, ["daemon-reload"]);
    const record: CreatedRecord = {
      kind: "service",
      name: req.name,
      unit,
      port: req.port,
      healthPath: req.healthPath,
      path: dir,
      request: req.request.slice(0, 500),
      createdAt: Date.now(),
    };
    await writeRegistry(place.registry, [...readRegistry(place.registry), record]);
    const started = await systemctl(place, ["enable", "--now", "--", unit]);
    if (started.code !== 0)
      throw new Error(`systemctl enable --now ${unit} failed: ${tail(started.stderr || started.stdout, 4)}`);
    return record;
  } catch (e) {
    await undo(place, [unit], made, req.name);
    throw e;
  }
}

/** Creates a script: the file from `staging`, its oneshot unit, and a timer when a schedule is given. */
export async function installScript(
  place: InstallPlace,
  req: { name: string; language: "bash" | "python"; schedule?: string; staging: string; request: string },
): Promise<CreatedRecord & { nextElapse?: string }> {
  const spec = place.vm.code?.scripts;
  if (!spec)
    throw new CreationRefused(
      `the inventory does not let voxops create scripts on ${place.vm.name}: add "code": {"scripts": {"dir": "/opt/scripts"}} to the VM`,
    );
  const unit = serviceUnitName(req.name);
  const timer = req.schedule ? timerUnitName(req.name) : undefined;
  await refuseTakenName(place, req.name, timer ? [unit, timer] : [unit]);
  let nextElapse: string | undefined;
  if (req.schedule !== undefined) {
    if (!onCalendarSchema.safeParse(req.schedule).success)
      throw new CreationRefused(`the schedule ${JSON.stringify(req.schedule)} is not a calendar expression`);
    const r = await execArgv("systemd-analyze", ["calendar", "--", req.schedule], { env: place.env });
    if (r.code !== 0)
      throw new CreationRefused(
        `systemd does not accept the schedule ${req.schedule}: ${tail(r.stderr || r.stdout, 2)}`,
      );
    nextElapse = /Next elapse:\s*(.+)/.exec(r.stdout)?.[1]?.trim();
  }
  const files = await stagedFiles(req.staging);
  const ext = req.language === "bash" ? "script.sh" : "script.py";
  const file = files.find((f) => f.rel === ext);
  if (!file || files.length !== 1) throw new CreationRefused(`the staging directory must hold only ${ext}`);
  const path = scriptPath(spec, req);
  if (await lstat(path).catch(() => null)) throw new CreationRefused(`${path} already exists`);
  const units = timer ? [timer, unit] : [unit];
  const made: string[] = [];
  try {
    await mkdir(spec.dir, { recursive: true, mode: 0o755 });
    await writeFile(path, file.bytes, { mode: 0o755 });
    made.push(path);
    await chmod(path, 0o755);
    for (const [u, text] of [
      [unit, scriptUnitText(spec, req)],
      ...(timer && req.schedule ? [[timer, timerUnitText({ ...req, schedule: req.schedule })]] : []),
    ] as [string, string][]) {
      const problem = await writeUnit(place, u, text);
      if (problem) throw new Error(problem);
    }
    await systemctl(place, ["daemon-reload"]);
    const record: CreatedRecord = {
      kind: "script",
      name: req.name,
      unit,
      ...(timer && req.schedule ? { timer, schedule: req.schedule } : {}),
      path,
      request: req.request.slice(0, 500),
      createdAt: Date.now(),
    };
    await writeRegistry(place.registry, [...readRegistry(place.registry), record]);
    if (timer) {
      const r = await systemctl(place, ["enable", "--now", "--", timer]);
      if (r.code !== 0)
        throw new Error(`systemctl enable --now ${timer} failed: ${tail(r.stderr || r.stdout, 4)}`);
    }
    return { ...record, ...(nextElapse ? { nextElapse } : {}) };
  } catch (e) {
    await undo(place, units, made, req.name);
    throw e;
  }
}

/** Removes something voxops created (only what the registry records). */
export async function removeCreated(place: InstallPlace, name: string): Promise<CreatedRecord> {
  const record = readRegistry(place.registry).find((r) => r.name === name);
  if (!record) throw new CreationRefused(`voxops created nothing called ${name} on ${place.vm.name}`);
  await undo(place, record.timer ? [record.timer, record.unit] : [record.unit], [record.path], name);
  return record;
}
