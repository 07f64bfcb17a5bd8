/**
 * The systemd units voxops creates for new services and scripts, from one strict template each: the
 * model and the operator give only typed fields (name, port, entry file, schedule), never unit text.
 * Edge (the preview in the confirmation) and VM (the root helper that installs them) render the same.
 */
import * as z from "zod";
import type { NewServicesSpec, ScriptsSpec } from "./creation-inventory.ts";

/** Every unit voxops creates starts with this; the polkit rule allows exactly these names. */
export const CREATED_PREFIX = "voxops-made-";

/** A created service's or script's name: lowercase letters, digits and single dashes, 2-32 characters. */
export const createdNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
    "a name is lowercase letters, digits and single dashes, starting with a letter",
  )
  .min(2)
  .max(32);

/** An OnCalendar= expression: only the characters calendar specs use (no newline can reach the unit). */
export const onCalendarSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9*:/,. ~-]+$/, "a calendar expression is letters, digits and * : / , . ~ - only");

/** A file of a new service, relative to its directory: plain names, at most one directory deep. */
export const newFilePathSchema = z
  .string()
  .regex(
    /^([a-z0-9_][a-z0-9_.-]{0,63}\/)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/,
    "a file name of letters, digits, '_', '.', '-', at most one directory deep",
  )
  .refine((p) => !p.split("/").some((part) => part === ".." || part === ".git"), "no '..' or .git");

/** The units of a created service or script. */
export const serviceUnitName = (name: string): string => `${CREATED_PREFIX}${name}.service`;
export const timerUnitName = (name: string): string => `${CREATED_PREFIX}${name}.timer`;

/** The language of an entry file by its extension, or null when voxops cannot start it. */
export function entryLanguage(path: string): "node" | "python" | "bash" | null {
  if (/\.(m?js|cjs)$/.test(path)) return "node";
  if (/\.py$/.test(path)) return "python";
  if (/\.(sh|bash)$/.test(path)) return "bash";
  return null;
}

const hardening = [
  "NoNewPrivileges=yes",
  "ProtectSystem=strict",
  "ProtectHome=yes",
  "PrivateTmp=yes",
  "PrivateDevices=yes",
  "ProtectKernelTunables=yes",
  "ProtectKernelModules=yes",
  "ProtectControlGroups=yes",
  "RestrictSUIDSGID=yes",
  "LockPersonality=yes",
  "CapabilityBoundingSet=",
  "AmbientCapabilities=",
  "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
];

const runAs = (user: string | undefined): string[] => (user ? [`User=${user}`] : ["DynamicUser=yes"]);

/** What a new service's unit is made of. */
export interface ServiceUnitFields {
  readonly name: string;
  readonly port: number;
  /** The entry file, relative to the service's directory. */
  readonly entry: string;
}

/** The directory of a created service. */
export const serviceDir = (spec: NewServicesSpec, name: string): string => `${spec.root}/${name}`;

/** The unit text of a new service; throws when a field is outside the template's rules. */
export function serviceUnitText(spec: NewServicesSpec, f: ServiceUnitFields): string {
  createdNameSchema.parse(f.name);
  newFilePathSchema.parse(f.entry);
  if (!Number.isInteger(f.port) || f.port < spec.portRange[0] || f.port > spec.portRange[1])
    throw new Error(`port ${f.port} is outside ${spec.portRange[0]}-${spec.portRange[1]}`);
  const lang = entryLanguage(f.entry);
  if (lang === null || lang === "bash") throw new Error(`${f.entry} is not a .js, .mjs or .py file`);
  const dir = serviceDir(spec, f.name);
  const interpreter = lang === "node" ? spec.node : spec.python;
  return [
    "# Created by voxops from its service template; remove it through voxops.",
    "[Unit]",
    `Description=${f.name} (a service created by voxops)`,
    "After=network.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${interpreter} ${dir}/${f.entry}`,
    `WorkingDirectory=${dir}`,
    `Environment=PORT=${f.port} HOST=127.0.0.1${lang === "python" ? " PYTHONDONTWRITEBYTECODE=1" : ""}`,
    ...runAs(spec.user),
    `StateDirectory=${CREATED_PREFIX}${f.name}`,
    "Restart=on-failure",
    "RestartSec=2",
    ...hardening,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** What a script's units are made of. */
export interface ScriptUnitFields {
  readonly name: string;
  readonly language: "bash" | "python";
  /** OnCalendar= when the script runs on a schedule. */
  readonly schedule?: string | undefined;
}

/** The path of a created script. */
export const scriptPath = (spec: ScriptsSpec, f: Pick<ScriptUnitFields, "name" | "language">): string =>
  `${spec.dir}/${f.name}.${f.language === "bash" ? "sh" : "py"}`;

/** The oneshot service that runs a script (the timer starts it; "run once" starts it by hand). */
export function scriptUnitText(spec: ScriptsSpec, f: ScriptUnitFields): string {
  createdNameSchema.parse(f.name);
  const interpreter = f.language === "bash" ? "/bin/bash" : spec.python;
  return [
    "# Created by voxops from its script template; remove it through voxops.",
    "[Unit]",
    `Description=${f.name} (a script created by voxops)`,
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${interpreter} ${scriptPath(spec, f)}`,
    ...runAs(spec.user),
    "TimeoutStartSec=15min",
    ...hardening,
    ...(spec.writable.length > 0 ? [`ReadWritePaths=${spec.writable.join(" ")}`] : []),
    "",
  ].join("\n");
}

/** The timer that runs a script on its schedule. */
export function timerUnitText(f: ScriptUnitFields & { schedule: string }): string {
  createdNameSchema.parse(f.name);
  onCalendarSchema.parse(f.schedule);
  return [
    "# Created by voxops; remove it through voxops.",
    "[Unit]",
    `Description=runs ${f.name} on its schedule (created by voxops)`,
    "",
    "[Timer]",
    `OnCalendar=${f.schedule}`,
    "Persistent=true",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
}
