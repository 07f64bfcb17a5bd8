/**
 * Run inside the systemd sandbox (Node 24, as root): reads a unit's journal through the sidecar's own
 * journald adapter (real journalctl) and prints what the sidecar sees and how auto-fix classifies it.
 */
import { createJournal } from "../../sidecar/adapters/journal.ts";
import { classify } from "../../sidecar/autofix/match.ts";

const unit = process.argv[2] ?? "";
const entries = await createJournal().entries({ units: [unit], lines: 500 });
const c = classify(entries);
process.stdout.write(
  `${JSON.stringify({
    entries: entries.map((e) => ({
      unit: e.unit,
      priority: e.priority,
      message: e.message,
      truncated: e.truncated ?? false,
    })),
    rule: c?.rule ?? null,
    facts: c?.facts ?? {},
  })}\n`,
);
