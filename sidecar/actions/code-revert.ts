/**
 * The `code-revert` action: puts back the files a committed change touched, as they were before it
 * (files it created are deleted, files it deleted or renamed come back), through the same pipeline (checks, restart, verify, roll back on failure, commit, backup).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { ChangedFile } from "../../protocol/code-actions.ts";
import type { Adapters } from "../adapters/index.ts";
import { applyChange } from "../code/apply-pipeline.ts";
import { codeTreeFor } from "../code/code-tree.ts";
import { openSourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "../services/handler.ts";
import { resolveService } from "../services/targets.ts";

/** Creates the handler. */
export function createCodeRevert(adapters: Adapters): ActionHandler<"code-revert"> {
  return async (args, ctx) => {
    const target = resolveService(ctx, args.service);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const commit = args.commit;
    // History is read as the service's owner on an installed VM (git refuses a checkout another user owns).
    const tree = codeTreeFor(adapters, root, target.spec.name);
    const git = (a: string[]) => tree.git(a);
    const top = await git(["rev-parse", "--show-prefix"]);
    if (top.code !== 0)
      throw new ActionError(
        "no-repo",
        `${root.spec.root} is not a git checkout, so there is no commit to revert`,
      );
    const prefix = top.stdout.trim();
    const subject = await git(["log", "-1", "--format=%s", `${commit}^{commit}`]);
    if (subject.code !== 0)
      throw new ActionError("unknown-commit", `${commit} is not a commit of ${target.spec.name}`);
    const changed = await git(["diff-tree", "--no-commit-id", "--name-only", "-r", "--relative", commit]);
    if (changed.code !== 0)
      throw new ActionError(
        "unknown-commit",
        `${commit.slice(0, 12)} is not a commit of ${target.spec.name}`,
      );
    const names = changed.stdout;
    const files: ChangedFile[] = [];
    for (const rel of names.split("\n").filter(Boolean)) {
      // A file the commit created is deleted again; one it deleted (or moved away) comes back.
      const before = await git(["show", `${commit}^:${prefix}${rel}`]);
      const current = await readFile(`${root.real}/${rel}`).catch(() => null);
      const currentSha = current === null ? null : createHash("sha256").update(current).digest("hex");
      if (before.code !== 0 && current === null) continue;
      files.push({
        path: rel,
        content: before.code === 0 ? before.stdout : null,
        baseSha256: currentSha,
      });
    }
    if (files.length === 0)
      throw new ActionError("cannot-revert", `${commit.slice(0, 12)} changed no files of the source`);
    const request = `Revert "${subject.stdout.trim().slice(0, 200)}" (${commit.slice(0, 12)})`;
    return applyChange(
      adapters,
      target,
      {
        request,
        files,
        diffSha256: createHash("sha256").update(request).digest("hex"),
        lang: args.lang,
      },
      ctx,
    );
  };
}
