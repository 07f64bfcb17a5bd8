/**
 * The record of what voxops created on this VM (services, scripts, timers): one JSON file beside the
 * inventory, written only by the installer (the root helper on an installed VM), read by the sidecar
 * to add the created services to its inventory so that they can be restarted, read and backed up.
 *
 * The sidecar keeps the records in memory (`openCreatedRegistry`): read once at start, read again
 * right after each create or remove it runs, and read again when the file's modification time, size
 * or inode changed (checked at each heartbeat), so a lookup never touches the disk.
 */
import { readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type CreatedRecord, createdRecordSchema } from "../../protocol/created-record.ts";
import { writeFileAtomic } from "../adapters/atomic-write.ts";

export type { CreatedRecord };

/** The registry file for an inventory file: `created.json` beside it. */
export function registryPathFor(inventoryFile: string | undefined, stateDir: string): string {
  return inventoryFile ? join(dirname(inventoryFile), "created.json") : join(stateDir, "created.json");
}

/** Reads the registry; an absent or unreadable file is an empty one, and a damaged record is skipped. */
export function readRegistry(path: string): CreatedRecord[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r) => {
    const parsed = createdRecordSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Replaces the registry atomically (0644: the sidecar reads it, only its writer may change it). */
export async function writeRegistry(path: string, records: readonly CreatedRecord[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o644 });
}

/** The sidecar's in-memory copy of the registry. */
export interface CreatedRegistry {
  readonly path: string;
  /** The records as last read (no disk access). */
  records(): readonly CreatedRecord[];
  /**
   * Reads the file again when it changed on disk (or always, with `force`), and tells the listeners
   * when the records differ; returns true when they did.
   */
  refresh(options?: { force?: boolean }): boolean;
  /** Calls `listener` after each change of the records; returns a function that stops it. */
  onChange(listener: (records: readonly CreatedRecord[]) => void): () => void;
}

/** What identifies one version of the file without reading it. */
function stampOf(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return "absent";
  }
}

/** Opens the registry at `path`: reads it once now and keeps it in memory. */
export function openCreatedRegistry(path: string): CreatedRegistry {
  let stamp = stampOf(path);
  let records: readonly CreatedRecord[] = readRegistry(path);
  let text = JSON.stringify(records);
  const listeners = new Set<(records: readonly CreatedRecord[]) => void>();
  return {
    path,
    records: () => records,
    refresh(options = {}) {
      const now = stampOf(path);
      if (!options.force && now === stamp) return false;
      stamp = now;
      const next = readRegistry(path);
      const nextText = JSON.stringify(next);
      if (nextText === text) return false;
      records = next;
      text = nextText;
      for (const listener of listeners) listener(records);
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
