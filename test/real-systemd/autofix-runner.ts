/**
 * Run inside the systemd sandbox (Node 24) as a unit the test writes: the sidecar's auto-fix watcher
 * and engine over the real adapters (systemctl, journalctl, git, /proc), standing in for the controller
 * only in that it answers each `fix.request` with the `fix` handler, as an approving policy gate would.
 * Every event is appended to a JSON-lines file the test reads. `backup` as the third argument makes one
 * backup and exits. It runs as root: the unprivileged `voxops` user and its polkit/ACL model (issue 10)
 * are not available to these tests yet.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { parseInventory } from "../../protocol/inventory.ts";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createAdapters } from "../../sidecar/adapters/index.ts";
import { createFixObservers } from "../../sidecar/autofix/fix-observers.ts";
import { loadSettings } from "../../sidecar/autofix/settings.ts";
import { createAutofix } from "../../sidecar/autofix/watcher.ts";
import { runBackup } from "../../sidecar/services/backup.ts";

const [inventoryFile = "", eventsFile = "", mode = "watch"] = process.argv.slice(2);
const parsed = parseInventory(JSON.parse(readFileSync(inventoryFile, "utf8")));
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const inventory = parsed.inventory;
const adapters = createAdapters();
const write = (kind: string, data: Record<string, unknown>) =>
  appendFileSync(eventsFile, `${JSON.stringify({ kind, data })}\n`);

if (mode === "backup") {
  const r = await runBackup(adapters, { vm: "vm1", inventory }, "test");
  write("backup.done", { commit: r.commit });
} else {
  const fixes = createFixObservers();
  const handlers = createHandlers(adapters, { fixes });
  const ctx = () => ({
    vm: "vm1",
    inventory,
    deadline: Date.now() + 120_000,
    signal: new AbortController().signal,
    now: () => Date.now(),
  });
  const autofix = createAutofix({
    adapters,
    fixes,
    vm: "vm1",
    inventory,
    settings: loadSettings(process.env).settings,
    emit: (kind, data) => {
      write(kind, data);
      if (kind === "fix.request")
        void handlers
          .fix?.({ service: data["service"], rule: data["rule"] }, ctx())
          .catch((e: unknown) => write("runner.fix-error", { error: String(e) }));
    },
    onProblem: (message, detail) => write("runner.problem", { message, ...detail }),
  });
  await autofix.start();
  write("runner.started", {});
  const failed = setInterval(() => {
    void adapters.systemd.failedUnits().then(
      (u) => autofix.onFailedUnits(u),
      () => {},
    );
  }, 1000);
  process.once("SIGTERM", () => {
    clearInterval(failed);
    void autofix.stop().then(() => process.exit(0));
  });
}
