/**
 * The `code-revert` action: puts back the files a committed change touched, as they were before it,
 * through the same pipeline (checks, restart, verify, roll back on failure, commit, backup).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { ChangedFile } from "../../protocol/code-actions.ts";
import type { Adapters } from "../adapters/index.ts";
import { applyChange } from "../code/apply-pipeline.ts";
import { openSourceRoot } from "../code/source-root.ts";
import { ActionError, type ActionHandler } from "./handler.ts";
import { resolveService } from "./targets.ts";

/** Creates the handler. */
export function createCodeRevert(adapters: Adapters): ActionHandler {
  return async (args, ctx) => {
    const target = resolveService(ctx, args["service"]);
    const root = await openSourceRoot(target.spec.name, target.spec.code);
    const commit = String(args["commit"]);
    const git = (a: string[]) => adapters.git.attempt(root.real, a);
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
    const names = await adapters.git.run(root.real, [
      "diff-tree",
      "--no-commit-id",
      "--name-only",
      "-r",
      "--relative",
      commit,
    ]);
    const files: ChangedFile[] = [];
    for (const rel of names.split("\n").filter(Boolean)) {
      const before = await git(["show", `${commit}^:${prefix}${rel}`]);
      if (before.code !== 0)
        throw new ActionError(
          "cannot-revert",
          `${rel} did not exist before ${commit.slice(0, 12)}; removing files is not supported, revert it by hand`,
        );
      const current = await readFile(`${root.real}/${rel}`).catch(() => null);
      files.push({
        path: rel,
        content: before.stdout,
        baseSha256: current === null ? null : createHash("sha256").update(current).digest("hex"),
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
        lang: args["lang"] === "ru" ? "ru" : "en",
      },
      ctx,
    );
  };
}
