/**
 * A temporary VM for auto-fix tests: the systemd stand-in, test settings, a watcher and the events it
 * sent. The world stands in for the controller: it answers each `fix.request` with the `fix` command
 * (the handler a dispatched command runs), as an approving policy gate would; test/autofix/approval.test.ts
 * runs the same flow through a real controller.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Inventory, InventoryFile } from "../../protocol/inventory.ts";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createFixObservers } from "../../sidecar/autofix/fix-observers.ts";
import { type AutofixSettings, loadSettings } from "../../sidecar/autofix/settings.ts";
import { type Autofix, createAutofix } from "../../sidecar/autofix/watcher.ts";
import { createHarness, type Harness, inventory, sleep, until } from "../sidecar-actions/harness.ts";

const here = dirname(fileURLToPath(import.meta.url));
/** Absolute path of an auto-fix fixture. */
export const autofixFixture = (name: string): string => join(here, "../fixtures/autofix", name);
/** Absolute path of a shared service fixture. */
export const serviceFixture = (name: string): string => join(here, "../fixtures/services", name);

/** One event the watcher sent to the controller. */
export interface SentEvent {
  readonly kind: string;
  readonly data: Record<string, unknown>;
}

/** Short windows so a test sees a repair and its verification in a few seconds. */
export const testAutofix = {
  burstMs: 300,
  quietMs: 800,
  backoffMs: 300,
  breakerFailures: 3,
  perHour: 10,
  dedupeMs: 60_000,
  journalMaxB: 50 * 1024 * 1024,
  installTimeoutMs: 60_000,
};

/** A temporary VM with the watcher not yet started. */
export interface World {
  readonly h: Harness;
  readonly events: SentEvent[];
  readonly settings: AutofixSettings;
  readonly inv: Inventory;
  readonly autofix: Autofix;
  /** Events of one kind. */
  of(kind: string): SentEvent[];
  /** Waits until an event of one of `kinds` arrived; returns the first. */
  waitFor(kinds: readonly string[], ms?: number): Promise<SentEvent>;
  /** Starts a process the test owns (killed at cleanup). */
  spawnOwned(
    file: string,
    args: string[],
    options: { cwd?: string; env?: Record<string, string> },
  ): ChildProcess;
  cleanup(): Promise<void>;
}

/** Creates the world: writes the settings file, builds the handlers and the watcher over the stand-in. */
export function createWorld(
  raw: (root: string) => InventoryFile,
  options: {
    mode?: "on" | "dry-run" | "off";
    settings?: Record<string, unknown>;
    /** Whether the stand-in controller approves requested repairs (default true). */
    approve?: boolean;
  } = {},
): World {
  const h = createHarness();
  const settingsFile = join(h.root, "autofix.json");
  writeFileSync(settingsFile, JSON.stringify({ autofix: { ...testAutofix, ...options.settings } }));
  h.env["VOXOPS_AUTOFIX_FILE"] = settingsFile;
  h.env["VOXOPS_AUTOFIX"] = options.mode ?? "on";
  // Installs in fixtures use local file: dependencies only; keep npm off the network and out of $HOME.
  h.env["npm_config_offline"] = "true";
  h.env["npm_config_cache"] = join(h.root, "npm-cache");
  h.env["npm_config_update_notifier"] = "false";
  const loaded = loadSettings(h.env);
  if (loaded.problems.length > 0) throw new Error(loaded.problems.join("; "));
  const inv = inventory(raw(h.root));
  const events: SentEvent[] = [];
  // The handlers and the engine share one host's fix observers, as in the sidecar (sidecar/host.ts).
  const fixes = createFixObservers();
  const handlers = createHandlers(h.adapters, { fixes });
  const commands = new Set<Promise<unknown>>();
  const approve = (data: Record<string, unknown>): void => {
    const fix = handlers.fix;
    if (!fix) throw new Error("no fix handler");
    // A failed repair answers as a failed command (ActionError "fix-failed"); the events tell the story.
    const run = fix({ service: data["service"], rule: data["rule"] }, h.ctx(inv)).catch(() => undefined);
    commands.add(run);
    void run.finally(() => commands.delete(run));
  };
  const autofix = createAutofix({
    adapters: h.adapters,
    fixes,
    vm: "vm1",
    inventory: inv,
    settings: loaded.settings,
    emit: (kind, data) => {
      events.push({ kind, data });
      if (kind === "fix.request" && options.approve !== false) approve(data);
    },
  });
  const owned: ChildProcess[] = [];
  const of = (kind: string) => events.filter((e) => e.kind === kind);
  return {
    h,
    events,
    settings: loaded.settings,
    inv,
    autofix,
    of,
    async waitFor(kinds, ms = 20_000) {
      await until(() => events.some((e) => kinds.includes(e.kind)), ms);
      const hit = events.find((e) => kinds.includes(e.kind));
      if (!hit)
        throw new Error(
          `no ${kinds.join("/")} event in ${ms} ms; got ${JSON.stringify(events).slice(0, 2000)}`,
        );
      return hit;
    },
    spawnOwned(file, args, opts) {
      const child = spawn(file, args, {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        stdio: "ignore",
        detached: true,
      });
      owned.push(child);
      return child;
    },
    async cleanup() {
      await autofix.stop();
      await Promise.all([...commands]);
      for (const c of owned) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      h.cleanup();
    },
  };
}

/** Copies a fixture directory into the world's root. */
export function copyFixture(name: string, to: string): string {
  cpSync(autofixFixture(name), to, { recursive: true });
  return to;
}

/** True when something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** True while a process exists (a zombie counts as gone). */
export function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Waits until a port answers. */
export async function waitListening(port: number, ms = 5000): Promise<void> {
  if (!(await until(() => listening(port), ms))) throw new Error(`nothing listens on ${port}`);
}

export { sleep, until };
