/**
 * The backup repository: a local clone that this VM copies its paths into, commits and pushes. Each VM
 * writes only its own subtrees; a push that loses a race is rebased on the new remote head and retried.
 */
import { lstat, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { AdapterError } from "./adapter-error.ts";
import type { BackupSource } from "./backup-layout.ts";
import type { Git } from "./git.ts";
import type { DeclaredEntry } from "./read-declared.ts";
import { secretContent, secretName } from "./secret-scan.ts";

/** Where the repository is and whose subtrees this clone writes. */
export interface BackupRepoOptions {
  readonly git: Git;
  /** Local clone directory (created on first use). */
  readonly workdir: string;
  readonly remote: string;
  readonly branch: string;
  /** Repository subtrees this VM owns, e.g. ["vm1", "agent/vm1"]. */
  readonly roots: readonly string[];
  readonly maxAttempts?: number;
  readonly maxFileBytes?: number;
  /** Reads declared paths the sidecar's user may not (0600 files, 0700 directories) through the root helper. */
  readonly readDeclared?: (path: string) => Promise<DeclaredEntry>;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one backup did. */
export interface BackupReport {
  /** The remote head after the backup (null when the repository is still empty). */
  readonly commit: string | null;
  readonly changed: boolean;
  readonly files: number;
  readonly skipped: { path: string; reason: string }[];
  readonly missing: string[];
  readonly attempts: number;
}

/** A file as stored in the repository. */
export interface StoredFile {
  readonly content: Buffer;
  readonly commit: string;
  readonly mode: number;
}

/** Backup and restore through one clone. */
export interface BackupRepo {
  /** Copies `sources` into the clone, commits with `message` and pushes; serialised per clone. */
  push(sources: readonly BackupSource[], message: string): Promise<BackupReport>;
  /** A file at `ref` (default: the remote branch; if deleted there, its last version). */
  read(repoPath: string, ref?: string): Promise<StoredFile>;
}

/** Creates the backup repository adapter. */
export function createBackupRepo(options: BackupRepoOptions): BackupRepo {
  const { git, workdir, branch } = options;
  const remoteRef = `refs/remotes/origin/${branch}`;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  async function ensure(): Promise<void> {
    if (await lstat(join(workdir, ".git")).catch(() => null)) {
      await git.run(workdir, ["remote", "set-url", "origin", options.remote]);
      return;
    }
    await mkdir(workdir, { recursive: true });
    await git.run(workdir, ["init", "-q", "-b", branch]);
    await git.run(workdir, ["remote", "add", "origin", options.remote]);
  }

  /** Fetches the branch; false when the remote does not have it yet. */
  async function fetch(): Promise<boolean> {
    const r = await git.attempt(workdir, [
      "fetch",
      "-q",
      "--prune",
      "origin",
      `+refs/heads/${branch}:${remoteRef}`,
    ]);
    if (r.code === 0) return true;
    if (/couldn't find remote ref|not our ref/i.test(r.stderr)) return false;
    throw new AdapterError(
      "backup-fetch-failed",
      `cannot fetch the backup repository: ${r.stderr.trim().slice(-300)}`,
      {
        retryable: true,
      },
    );
  }

  async function copyTree(sources: readonly BackupSource[]) {
    const skipped: { path: string; reason: string }[] = [];
    const missing: string[] = [];
    let files = 0;
    const maxBytes = options.maxFileBytes ?? 5 * 1024 * 1024;
    // EACCES on a path only its owner can read: the root helper reads it, when there is one.
    const denied = (e: unknown) => (e as NodeJS.ErrnoException).code === "EACCES" && options.readDeclared;
    const store = async (source: string, target: string, content: Buffer, mode: number) => {
      const inside = secretContent(content);
      if (inside) return void skipped.push({ path: source, reason: inside });
      await mkdir(dirname(join(workdir, target)), { recursive: true });
      await writeFile(join(workdir, target), content, { mode: mode & 0o111 ? 0o755 : 0o644 });
      files++;
    };
    const copyEntries = async (source: string, target: string, entries: string[]) => {
      for (const entry of entries.sort()) {
        if (entry === ".git") continue;
        await copy(join(source, entry), `${target}/${entry}`);
      }
    };
    const copyAsRoot = async (source: string, target: string): Promise<void> => {
      const d = await options.readDeclared!(source);
      if (d.type === "missing") return void missing.push(source);
      if (d.type === "link") return void skipped.push({ path: source, reason: "symbolic link" });
      if (d.type === "other") return void skipped.push({ path: source, reason: "not a regular file" });
      if (d.type === "dir") return copyEntries(source, target, d.entries);
      if (d.base64 === undefined || d.size > maxBytes)
        return void skipped.push({ path: source, reason: `larger than ${maxBytes} bytes` });
      await store(source, target, Buffer.from(d.base64, "base64"), d.mode);
    };
    const copy = async (source: string, target: string): Promise<void> => {
      const named = secretName(basename(source));
      if (named) return void skipped.push({ path: source, reason: named });
      let st: Awaited<ReturnType<typeof lstat>> | null;
      try {
        st = await lstat(source);
      } catch (e) {
        if (denied(e)) return copyAsRoot(source, target);
        st = null;
      }
      if (!st) return void missing.push(source);
      if (st.isSymbolicLink()) return void skipped.push({ path: source, reason: "symbolic link" });
      if (st.isDirectory()) {
        const entries = await readdir(source).catch((e) => {
          if (denied(e)) return null;
          throw e;
        });
        return entries === null ? copyAsRoot(source, target) : copyEntries(source, target, entries);
      }
      if (!st.isFile()) return void skipped.push({ path: source, reason: "not a regular file" });
      if (st.size > maxBytes)
        return void skipped.push({ path: source, reason: `larger than ${maxBytes} bytes` });
      const content = await readFile(source).catch((e) => {
        if (denied(e)) return null;
        throw e;
      });
      if (content === null) return copyAsRoot(source, target);
      await store(source, target, content, st.mode);
    };
    for (const root of options.roots) await rm(join(workdir, root), { recursive: true, force: true });
    for (const s of sources) await copy(s.source, s.target);
    return { skipped, missing, files };
  }

  /** Resets the clone to the remote head, copies, and commits; returns whether anything changed. */
  async function snapshot(sources: readonly BackupSource[], message: string) {
    const exists = await fetch();
    if (exists) await git.run(workdir, ["reset", "-q", "--hard", remoteRef]);
    await git.run(workdir, ["clean", "-q", "-f", "-d", "-x"]);
    const copied = await copyTree(sources);
    await git.run(workdir, ["add", "-A", "."]);
    const staged = (await git.run(workdir, ["diff", "--cached", "--name-only", "-z"]))
      .split("\0")
      .filter(Boolean);
    const foreign = staged.filter((p) => !options.roots.some((r) => p === r || p.startsWith(`${r}/`)));
    if (foreign.length > 0)
      throw new AdapterError(
        "backup-foreign-path",
        `refusing to commit paths outside this VM's subtree: ${foreign[0]}`,
      );
    if (staged.length > 0) await git.run(workdir, ["commit", "-q", "-m", message]);
    return { ...copied, changed: staged.length > 0, exists };
  }

  async function head(): Promise<string | null> {
    const r = await git.attempt(workdir, ["rev-parse", "--verify", "-q", "HEAD"]);
    return r.code === 0 ? r.stdout.trim() : null;
  }

  return {
    push: (sources, message) =>
      serial(async () => {
        await ensure();
        const snap = await snapshot(sources, message);
        const report = (attempts: number, commit: string | null): BackupReport => ({
          commit,
          changed: snap.changed,
          files: snap.files,
          skipped: snap.skipped,
          missing: snap.missing,
          attempts,
        });
        if (!snap.changed) return report(0, snap.exists ? await head() : null);
        const max = options.maxAttempts ?? 6;
        for (let attempt = 1; attempt <= max; attempt++) {
          const r = await git.attempt(workdir, ["push", "-q", "origin", `HEAD:refs/heads/${branch}`]);
          if (r.code === 0) return report(attempt, await head());
          if (!/rejected|non-fast-forward|fetch first|stale info|cannot lock ref/i.test(r.stderr))
            throw new AdapterError(
              "backup-push-failed",
              `cannot push the backup: ${r.stderr.trim().slice(-300)}`,
              {
                retryable: true,
              },
            );
          if (attempt === max) break;
          await sleep(Math.round(Math.random() * 100 * 2 ** attempt));
          const pulled = await git.attempt(workdir, ["pull", "-q", "--rebase", "origin", branch]);
          if (pulled.code !== 0) {
            // A rebase cannot conflict on disjoint subtrees; if it does anyway, start over from the remote head.
            await git.attempt(workdir, ["rebase", "--abort"]);
            await snapshot(sources, message);
          }
        }
        throw new AdapterError(
          "backup-contended",
          `the backup was rejected ${max} times by concurrent pushes`,
          {
            retryable: true,
          },
        );
      }),
    read: (repoPath, ref) =>
      serial(async () => {
        await ensure();
        const exists = await fetch().catch(() => false);
        const base = ref ?? (exists ? remoteRef : "HEAD");
        const resolve = async (r: string): Promise<string | null> => {
          const out = await git.attempt(workdir, ["rev-parse", "--verify", "-q", `${r}^{commit}`]);
          return out.code === 0 ? out.stdout.trim() : null;
        };
        let commit = (ref ? await resolve(`refs/remotes/origin/${ref}`) : null) ?? (await resolve(base));
        if (!commit) throw new AdapterError("unknown-ref", `the backup repository has no ref "${base}"`);
        const has = async (c: string) =>
          (await git.attempt(workdir, ["cat-file", "-e", `${c}:${repoPath}`])).code === 0;
        if (!(await has(commit)) && ref === undefined) {
          const last = (await git.run(workdir, ["rev-list", "-n", "1", commit, "--", repoPath])).trim();
          if (last && (await has(`${last}^`))) commit = (await resolve(`${last}^`)) ?? commit;
        }
        if (!(await has(commit)))
          throw new AdapterError(
            "not-in-backup",
            `${repoPath} is not in the backup at ${commit.slice(0, 12)}`,
          );
        const tree = await git.run(workdir, ["ls-tree", commit, "--", repoPath]);
        const blob = await git.attempt(workdir, ["cat-file", "blob", `${commit}:${repoPath}`]);
        if (blob.code !== 0)
          throw new AdapterError("git-failed", `cannot read ${repoPath}: ${blob.stderr.trim()}`);
        return { content: blob.stdoutBytes, commit, mode: tree.startsWith("100755") ? 0o755 : 0o644 };
      }),
  };
}
