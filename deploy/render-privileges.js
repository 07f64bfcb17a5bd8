#!/usr/bin/env node
// Renders, from the inventory, what deploy/install-sidecar.sh installs to bound the sidecar outside its
// own process: the polkit rule (this VM's units × the verbs its actions need, and reboot), the unit's
// ReadWritePaths drop-in and the list of declared directories to create. Plain Node 20, no packages.
//
//   node deploy/render-privileges.js INVENTORY VM polkit|paths|dirs|units
import { readFileSync } from "node:fs";
import { dirname, normalize } from "node:path";

const [file, vm, what] = process.argv.slice(2);
const inventory = JSON.parse(readFileSync(file, "utf8"));
const spec = inventory.vms?.[vm];
if (!spec) {
  process.stderr.write(`the inventory has no VM ${vm}\n`);
  process.exit(2);
}
const services = (spec.services ?? []).map((s) => (typeof s === "string" ? { name: s } : s));
const plain = (p) =>
  typeof p === "string" && /^\/[A-Za-z0-9_./@+-]*$/.test(p) && normalize(p) === p && !p.includes("..");
const unitName = /^[A-Za-z0-9_.@-]+$/;

// The units the sidecar may act on: the inventory's services (a bare name means NAME.service).
const units = services.map((s) => s.unit ?? `${s.name}.service`).filter((u) => unitName.test(u));

// Declared directories: config directories, checkouts, backed-up paths and log directories.
const dirs = new Set();
for (const s of services) {
  for (const c of s.configs ?? []) dirs.add(dirname(c.path));
  if (s.repo?.path) dirs.add(s.repo.path);
  // A dependency install (auto-fix, as the service's owner) writes node_modules/.venv beside the manifest.
  if (s.manifest) dirs.add(dirname(s.manifest));
  for (const p of s.backup ?? []) dirs.add(p);
  for (const l of s.logs ?? []) dirs.add(dirname(l));
}
for (const p of spec.backup ?? []) dirs.add(p);
// A backup repository on this VM's disk (rather than GitHub) must be writable for the push.
const localBackup =
  typeof inventory.backup?.repo === "string" && inventory.backup.repo.startsWith("/")
    ? [inventory.backup.repo]
    : [];
// Creating services and scripts (README "Programming from the phone"): the root helper writes their files,
// their unit files and its record beside the inventory; the polkit rule lets the sidecar start and
// restart only the units the helper made (their names start with voxops-made-).
const creates = Boolean(spec.code?.newServices || spec.code?.scripts);
const createdDirs = creates
  ? ["/etc/systemd/system", "/etc/voxops", spec.code?.newServices?.root, spec.code?.scripts?.dir].filter(
      plain,
    )
  : [];
const declared = [...dirs].filter(plain).sort();
// Source roots of code changes (README "Programming from the phone"): the root helper writes there, checks
// and commits as each service's owner, so the unit's namespace must let writes through; the voxops user
// owns none of those files, and the owners' permissions decide. Not created when missing.
const codeRoots = services.map((s) => s.code?.root).filter(plain);

const polkit = `// Written by deploy/install-sidecar.sh from the inventory for ${vm}: do not edit, run the installer again.
// The voxops user may restart, reload or start only these units, and reboot the VM; nothing else
// (stopping, killing or enabling any unit, starting any other unit, e.g. ssh.service or
// debug-shell.service, is left to polkit's default: refused without an administrator's password).
var VOXOPS_UNITS = ${JSON.stringify(units)};
// True when the inventory lets voxops create services or scripts: their units (made only by the root
// helper, from its template) are voxops-made-NAME.service.
var VOXOPS_CREATED = ${creates};
var VOXOPS_VERBS = ["start", "restart", "reload", "try-restart", "reload-or-restart", "reload-or-try-restart"];
polkit.addRule(function (action, subject) {
  if (subject.user !== "voxops") return polkit.Result.NOT_HANDLED;
  if (action.id === "org.freedesktop.systemd1.manage-units") {
    var unit = action.lookup("unit");
    var verb = action.lookup("verb");
    if (VOXOPS_UNITS.indexOf(unit) >= 0 && VOXOPS_VERBS.indexOf(verb) >= 0) return polkit.Result.YES;
    if (VOXOPS_CREATED && /^voxops-made-[a-z][a-z0-9-]*\\.service$/.test(unit) && VOXOPS_VERBS.indexOf(verb) >= 0) return polkit.Result.YES;
    return polkit.Result.NO;
  }
  if (action.id === "org.freedesktop.login1.reboot" || action.id === "org.freedesktop.login1.reboot-multiple-sessions") {
    return polkit.Result.YES;
  }
  return polkit.Result.NOT_HANDLED;
});
`;

const paths = `[Service]
# Written by deploy/install-sidecar.sh from the inventory. The sidecar's mount namespace is read-only
# except these; inside them the files' own permissions still apply (the voxops user owns none of the
# services' files: the root helper writes declared files, the owners' steps run as the owners).
ReadWritePaths=-/var/lib/voxops -/var/log/journal -/run/log/journal ${[...new Set([...declared, ...codeRoots, ...createdDirs, ...localBackup.filter(plain)])].map((d) => `-${d}`).join(" ")}
`.replace(/ \n/, "\n");

const out = {
  polkit,
  paths,
  dirs: `${[...new Set([...declared, ...createdDirs.slice(2)])].sort().join("\n")}\n`,
  units: `${units.join("\n")}\n`,
}[what];
if (out === undefined) {
  process.stderr.write("usage: render-privileges.js INVENTORY VM polkit|paths|dirs|units\n");
  process.exit(2);
}
process.stdout.write(out);
