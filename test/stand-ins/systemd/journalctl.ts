/** The stand-in `journalctl`: -u, -n, --since/--until, -p, -o short|short-iso|json|cat, -f, -q, --vacuum-size. */
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { type Entry, host, isoLocal, journalFile, stateDir, unitId } from "./store.ts";

const dir = stateDir();
const units: string[] = [];
let lines: number | null = null;
let since: number | null = null;
let until: number | null = null;
let maxPriority = 7;
let output = "short";
let follow = false;
let quiet = false;
let vacuum: number | null = null;

const priorities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function priority(text: string): number {
  const name = text.split("..").pop() ?? "";
  const n = /^[0-7]$/.test(name) ? Number(name) : priorities.indexOf(name);
  if (n < 0) fail(`Failed to parse priority value: ${text}`);
  return n;
}

/** @EPOCH, "YYYY-MM-DD HH:MM:SS" / "YYYY-MM-DDTHH:MM:SS" (local), "now", "-5min"/"-1h"/"-30s". */
function time(text: string): number {
  if (text === "now") return Date.now();
  const at = /^@(\d+(?:\.\d+)?)$/.exec(text);
  if (at) return Number(at[1]) * 1000;
  const rel = /^-(\d+)\s*(s|sec|min|m|h)$/.exec(text);
  if (rel)
    return (
      Date.now() - Number(rel[1]) * ({ s: 1, sec: 1, m: 60, min: 60, h: 3600 }[rel[2] ?? "s"] ?? 1) * 1000
    );
  const abs = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(text);
  if (abs) return new Date(`${abs[1]}T${abs[2] ?? "00:00:00"}`).getTime();
  fail(`Failed to parse timestamp: ${text}`);
}

function size(text: string): number {
  const m = /^(\d+)([KMG]?)$/.exec(text);
  if (!m) fail(`Failed to parse size value: ${text}`);
  return Number(m[1]) * ({ "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] ?? ""] ?? 1);
}

const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const raw = argv[i] ?? "";
  const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
  const flag = eq > 0 ? raw.slice(0, eq) : raw;
  const value = (): string =>
    eq > 0 ? raw.slice(eq + 1) : (argv[++i] ?? fail(`option '${flag}' requires an argument`));
  if (flag === "-u" || flag === "--unit") units.push(unitId(value()));
  else if (flag === "-n" || flag === "--lines") lines = Number(value());
  else if (/^-n\d+$/.test(flag)) lines = Number(flag.slice(2));
  else if (flag === "-S" || flag === "--since") since = time(value());
  else if (flag === "-U" || flag === "--until") until = time(value());
  else if (flag === "-p" || flag === "--priority") maxPriority = priority(value());
  else if (flag === "-o" || flag === "--output") output = value();
  else if (flag === "-f" || flag === "--follow") follow = true;
  else if (flag === "-q" || flag === "--quiet") quiet = true;
  else if (flag === "--no-pager" || flag === "-a" || flag === "--all" || flag === "--no-hostname") continue;
  else if (flag === "--vacuum-size") vacuum = size(value());
  else fail(`journalctl: unrecognized option '${raw}'`);
}
if (!["short", "short-iso", "json", "cat"].includes(output)) fail(`Unknown output format '${output}'.`);
if (lines !== null && !(Number.isInteger(lines) && lines >= 0)) fail("Failed to parse lines");

function files(): string[] {
  if (units.length > 0) return units.map((u) => journalFile(dir, u));
  return readdirSync(join(dir, "journal"))
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => join(dir, "journal", f));
}

function parse(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const line of text.split("\n")) if (line.trim() !== "") entries.push(JSON.parse(line) as Entry);
  return entries;
}

function keep(e: Entry): boolean {
  return (
    e.priority <= maxPriority &&
    (since === null || e.us >= since * 1000) &&
    (until === null || e.us <= until * 1000)
  );
}

function render(e: Entry): string {
  const ms = Math.floor(e.us / 1000);
  const prefix = `${e.identifier}[${e.pid}]: `;
  if (output === "cat") return e.message;
  if (output === "short-iso") return `${isoLocal(ms)} ${host} ${prefix}${e.message}`;
  if (output === "short") {
    const d = new Date(ms);
    const mon = d.toLocaleString("en-US", { month: "short" });
    const t = d.toTimeString().slice(0, 8);
    return `${mon} ${String(d.getDate()).padStart(2, "0")} ${t} ${host} ${prefix}${e.message}`;
  }
  return JSON.stringify({
    __CURSOR: `s=standin;i=${e.us.toString(16)};t=${e.us.toString(16)}`,
    __REALTIME_TIMESTAMP: String(e.us),
    _HOSTNAME: host,
    PRIORITY: String(e.priority),
    SYSLOG_IDENTIFIER: e.identifier,
    _PID: String(e.pid),
    ...(e.manager ? { UNIT: e.unit } : { _SYSTEMD_UNIT: e.unit }),
    MESSAGE: e.message,
  });
}

if (vacuum !== null) {
  let total = files().reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
  const before = total;
  for (const f of files()) {
    if (total <= vacuum || !existsSync(f)) continue;
    const kept = readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l !== "");
    while (kept.length > 0 && total > vacuum) total -= Buffer.byteLength(`${kept.shift()}\n`);
    writeFileSync(f, kept.map((l) => `${l}\n`).join(""));
  }
  process.stderr.write(
    `Vacuuming done, freed ${before - total}B of archived journals from ${join(dir, "journal")}.\n`,
  );
  process.exit(0);
}

const offsets = new Map<string, number>();
let all: Entry[] = [];
for (const f of files()) {
  if (!existsSync(f)) continue;
  const buf = readFileSync(f);
  offsets.set(f, buf.length);
  all.push(...parse(buf.toString("utf8")));
}
all = all.filter(keep).sort((a, b) => a.us - b.us);
const shown = lines === null ? (follow ? all.slice(-10) : all) : lines === 0 ? [] : all.slice(-lines);
process.stdout.on("error", () => process.exit(0));
if (shown.length === 0 && !quiet && !follow && output !== "json") process.stdout.write("-- No entries --\n");
process.stdout.write(shown.map((e) => `${render(e)}\n`).join(""));

if (follow) {
  process.on("SIGTERM", () => process.exit(0));
  setInterval(() => {
    const fresh: Entry[] = [];
    for (const f of files()) {
      if (!existsSync(f)) continue;
      const from = offsets.get(f) ?? 0;
      const end = statSync(f).size;
      if (end < from) offsets.set(f, 0);
      if (end <= from) continue;
      const buf = Buffer.alloc(end - from);
      const fd = openSync(f, "r");
      readSync(fd, buf, 0, buf.length, from);
      closeSync(fd);
      const text = buf.toString("utf8");
      const complete = text.lastIndexOf("\n") + 1;
      offsets.set(f, from + Buffer.byteLength(text.slice(0, complete)));
      fresh.push(...parse(text.slice(0, complete)));
    }
    const out = fresh.filter(keep).sort((a, b) => a.us - b.us);
    if (out.length > 0) process.stdout.write(out.map((e) => `${render(e)}\n`).join(""));
  }, 100);
}
