/**
 * A service's source root as the sidecar sees it: every path is resolved inside it, symlinks that
 * lead out are refused, `.git` is never touched, and secrets files are never read, listed or written.
 */
import { lstat, realpath } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { sourcePathSchema } from "../../protocol/code-actions.ts";
import type { CodeSpec } from "../../protocol/code-inventory.ts";
import { ActionError } from "../services/handler.ts";

const secretNames: readonly RegExp[] = [
  /^\.env(\..*)?$/i,
  /\.pem$/i,
  /\.key$/i,
  /^id_[a-z0-9]+(\.pub)?$/i,
  /\.p12$/i,
  /\.pfx$/i,
  /^\.netrc$/i,
  /^\.npmrc$/i,
  /^\.pypirc$/i,
  /^credentials(\..*)?$/i,
  /^secrets?(\..*)?$/i,
];

/** True for a file name that holds secrets by convention (.env, *.pem, *.key, id_*, …). */
export function isSecretName(name: string): boolean {
  return secretNames.some((r) => r.test(name));
}

/** A checked location inside the source root. */
export interface SourcePath {
  /** As the request gave it, relative to the root. */
  readonly rel: string;
  /** The absolute path on this VM. */
  readonly abs: string;
  /** False when nothing exists there yet (a new file). */
  readonly exists: boolean;
}

/** A service's source root with its limits. */
export interface SourceRoot {
  readonly spec: CodeSpec;
  /** The root after resolving symlinks. */
  readonly real: string;
  /** Resolves `rel` inside the root, refusing escapes, `.git` and secrets files. */
  resolve(rel: unknown, purpose: "read" | "write"): Promise<SourcePath>;
  /** True when the directory entry `name` under `dir` must not be listed or searched. */
  hidden(name: string): boolean;
}

const refuse = (message: string): ActionError => new ActionError("forbidden-path", message);

/** Opens the root of a service's `code` block; refuses when it does not exist. */
export async function openSourceRoot(service: string, spec: CodeSpec | undefined): Promise<SourceRoot> {
  if (!spec)
    throw new ActionError(
      "no-source",
      `the inventory gives ${service} no source root; add "code": {"root": "/path/to/${service}"} to it`,
    );
  let real: string;
  try {
    real = await realpath(spec.root);
  } catch {
    throw new ActionError("no-source", `the source root ${spec.root} of ${service} does not exist`);
  }
  const inside = (p: string): boolean => p === real || p.startsWith(real + sep);
  return {
    spec,
    real,
    hidden: (name) => name === ".git" || isSecretName(name),
    async resolve(rel, purpose) {
      const parsed = sourcePathSchema.safeParse(rel);
      if (!parsed.success)
        throw refuse(
          `refused path ${JSON.stringify(String(rel).slice(0, 120))}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        );
      const clean = parsed.data.replace(/^\.\/+/, "").replace(/\/+$/, "") || ".";
      const parts = clean.split("/");
      if (parts.includes(".git")) throw refuse(`refused ${clean}: voxops never reads or writes inside .git`);
      if (isSecretName(basename(clean)))
        throw refuse(`refused ${clean}: it is a secrets file, and secrets are never read, sent or written`);
      const abs = join(real, clean);
      const info = await lstat(abs).catch(() => null);
      if (info === null) {
        if (purpose === "read") throw new ActionError("not-found", `${clean} does not exist in the source`);
        // A new file: its nearest existing parent must resolve inside the root.
        let parent = dirname(abs);
        while (!(await lstat(parent).catch(() => null))) parent = dirname(parent);
        const realParent = await realpath(parent);
        if (!inside(realParent))
          throw refuse(`refused ${clean}: its directory leads outside the source root`);
        return { rel: clean, abs, exists: false };
      }
      const resolved = await realpath(abs);
      if (!inside(resolved))
        throw refuse(`refused ${clean}: it is a symlink that leads outside the source root`);
      if (isSecretName(basename(resolved))) throw refuse(`refused ${clean}: it points at a secrets file`);
      if (relative(real, resolved).split(sep).includes(".git"))
        throw refuse(`refused ${clean}: it points into .git`);
      return { rel: clean, abs: resolved, exists: true };
    },
  };
}

/** True when a buffer looks binary (a NUL byte in its first 8 KiB). */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}
