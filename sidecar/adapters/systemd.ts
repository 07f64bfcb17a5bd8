/** The systemd adapter: unit state through `systemctl show`, lifecycle verbs, failed units and reboot. */
import { AdapterError } from "./adapter-error.ts";
import { type ExecResult, execArgv, tail } from "./exec.ts";

/** What `systemctl show` tells about one unit. */
export interface UnitStatus {
  readonly unit: string;
  /** False when systemd has no such unit (LoadState=not-found). */
  readonly loaded: boolean;
  /** active, inactive, failed, activating, deactivating, reloading. */
  readonly activeState: string;
  readonly subState: string;
  readonly mainPid: number | null;
  /** When the unit last entered the active state, epoch milliseconds. */
  readonly since: number | null;
  readonly memoryB: number | null;
  readonly result: string;
  readonly restarts: number | null;
  readonly fragmentPath: string | null;
}

/** The systemd operations the sidecar uses. */
export interface Systemd {
  /** State of each unit, in the order asked. */
  status(units: readonly string[]): Promise<UnitStatus[]>;
  start(unit: string): Promise<void>;
  stop(unit: string): Promise<void>;
  restart(unit: string): Promise<void>;
  reload(unit: string): Promise<void>;
  /** Names of the units in the failed state. */
  failedUnits(): Promise<string[]>;
  /** Asks systemd to reboot the machine; `force` skips stopping services cleanly. */
  reboot(options?: { force?: boolean }): Promise<void>;
}

/** Where systemctl is and how long one call may take. */
export interface SystemdOptions {
  readonly systemctl?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

const PROPERTIES = [
  "Id",
  "LoadState",
  "ActiveState",
  "SubState",
  "MainPID",
  "ActiveEnterTimestamp",
  "MemoryCurrent",
  "Result",
  "NRestarts",
  "FragmentPath",
];

/** What systemctl says on a machine whose PID 1 is not systemd (a container, WSL without systemd). */
const noSystemd = /not been booted with systemd|Failed to connect to bus|System has not been booted/i;

/** The one error for "this machine does not run systemd": permanent, the same for every verb. */
export function noSystemdError(): AdapterError {
  return new AdapterError(
    "no-systemd",
    "this machine does not run systemd, which voxops needs to manage services and read their logs",
  );
}

/** Parses "Tue 2024-11-26 10:11:12 UTC" (systemctl's timestamp form) as epoch ms; null when empty. */
export function parseSystemdTimestamp(text: string): number | null {
  const m = /^(?:[A-Za-z]{3} )?(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?: (\S+))?$/.exec(text.trim());
  if (!m) return null;
  const utc = m[3] === undefined || m[3] === "UTC" || m[3] === "GMT";
  const t = new Date(`${m[1]}T${m[2]}${utc ? "Z" : ""}`).getTime();
  return Number.isFinite(t) ? t : null;
}

/** Parses `systemctl show` output for several units (blocks separated by blank lines). */
export function parseShow(text: string, units: readonly string[]): UnitStatus[] {
  const blocks = text.split(/\n\s*\n/).map((block) => {
    const kv = new Map<string, string>();
    for (const line of block.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1));
    }
    return kv;
  });
  return units.map((unit, i) => {
    const kv = blocks.find((b) => b.get("Id") === unit) ?? blocks[i] ?? new Map<string, string>();
    const num = (key: string): number | null => {
      const v = kv.get(key);
      return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
    };
    const pid = num("MainPID");
    const memory = num("MemoryCurrent");
    return {
      unit,
      loaded: kv.get("LoadState") === "loaded",
      activeState: kv.get("ActiveState") ?? "unknown",
      subState: kv.get("SubState") ?? "unknown",
      mainPid: pid === 0 ? null : pid,
      since: parseSystemdTimestamp(kv.get("ActiveEnterTimestamp") ?? ""),
      // 2^64-1 is systemd's "infinity"/unset marker.
      memoryB: memory !== null && memory < 2 ** 63 ? memory : null,
      result: kv.get("Result") ?? "",
      restarts: num("NRestarts"),
      fragmentPath: kv.get("FragmentPath") || null,
    };
  });
}

/** Creates the adapter over a systemctl binary (env VOXOPS_SYSTEMCTL, default "systemctl"). */
export function createSystemd(options: SystemdOptions = {}): Systemd {
  const env = options.env ?? process.env;
  const bin = options.systemctl ?? env["VOXOPS_SYSTEMCTL"] ?? "systemctl";
  const run = async (args: string[], timeoutMs = options.timeoutMs ?? 60_000): Promise<ExecResult> => {
    const r = await execArgv(bin, args, { env, timeoutMs });
    if (r.code !== 0 && noSystemd.test(r.stderr)) throw noSystemdError();
    return r;
  };
  const verb = async (name: string, unit: string): Promise<void> => {
    const r = await run([name, "--no-ask-password", "--", unit]);
    if (r.code === 0) return;
    const notFound = r.code === 5 || /not (be )?found/i.test(r.stderr);
    throw new AdapterError(
      notFound ? "unit-not-found" : `${name}-failed`,
      notFound
        ? `systemd has no unit ${unit}`
        : `systemctl ${name} ${unit} failed (exit ${r.code}): ${tail(r.stderr, 3)}`,
      { retryable: !notFound, detail: tail(r.stderr) },
    );
  };
  return {
    async status(units) {
      if (units.length === 0) return [];
      const r = await run(["show", "--no-pager", `--property=${PROPERTIES.join(",")}`, "--", ...units]);
      if (r.code !== 0)
        throw new AdapterError(
          "show-failed",
          `systemctl show failed (exit ${r.code}): ${tail(r.stderr, 3)}`,
          {
            retryable: true,
          },
        );
      return parseShow(r.stdout, units);
    },
    start: (unit) => verb("start", unit),
    stop: (unit) => verb("stop", unit),
    restart: (unit) => verb("restart", unit),
    reload: (unit) => verb("reload", unit),
    async failedUnits() {
      const r = await run(["list-units", "--failed", "--plain", "--no-legend", "--no-pager"]);
      if (r.code !== 0)
        throw new AdapterError("list-failed", `systemctl list-units failed: ${tail(r.stderr, 3)}`, {
          retryable: true,
        });
      return r.stdout
        .split("\n")
        .map(
          (line) =>
            line
              .replace(/^[●*]\s*/, "")
              .trim()
              .split(/\s+/)[0] ?? "",
        )
        .filter((u) => u !== "");
    },
    async reboot(opts = {}) {
      const r = await run(["reboot", "--no-wall", ...(opts.force ? ["--force"] : [])]);
      if (r.code !== 0)
        throw new AdapterError("reboot-failed", `systemctl reboot failed: ${tail(r.stderr, 3)}`, {
          detail: tail(r.stderr),
        });
    },
  };
}
