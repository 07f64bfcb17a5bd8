/**
 * Why a proposed change cannot be offered (the built-in engine's or the coding agent's): one typed
 * problem each, told in the operator's language by `changeProblemText` (English also for the audit).
 */

import type { Lang } from "../core/desk.ts";
import { t } from "../core/text.ts";

/** One reason a change is refused before the operator sees it. */
export type ChangeProblem =
  | { readonly kind: "changes-nothing" }
  | { readonly kind: "too-many-files"; readonly count: number; readonly limit: number }
  | { readonly kind: "same-file-twice" }
  | { readonly kind: "outside-root"; readonly path: string }
  | { readonly kind: "inside-git"; readonly path: string }
  | { readonly kind: "missing"; readonly path: string }
  | { readonly kind: "rename-source-kept"; readonly path: string; readonly from: string }
  | { readonly kind: "binary"; readonly path: string }
  | { readonly kind: "file-too-large"; readonly path: string; readonly limit: number }
  | { readonly kind: "too-many-lines"; readonly count: number; readonly limit: number }
  | { readonly kind: "too-long-to-change"; readonly path: string }
  | { readonly kind: "exists-already"; readonly path: string };

/** The problem as a clause ("a.js is outside the source root"), without a final stop. */
export function changeProblemText(p: ChangeProblem, lang: Lang): string {
  switch (p.kind) {
    case "changes-nothing":
      return t(lang, "предложенное изменение ничего не меняет", "the proposed change changes nothing");
    case "too-many-files":
      return t(
        lang,
        `изменение затрагивает ${p.count} файлов, а можно не больше ${p.limit}`,
        `the change touches ${p.count} files; the limit is ${p.limit}`,
      );
    case "same-file-twice":
      return t(lang, "изменение называет один файл дважды", "the change names the same file twice");
    case "outside-root":
      return t(lang, `${p.path} лежит вне корня исходников`, `${p.path} is outside the source root`);
    case "inside-git":
      return t(
        lang,
        `${p.path} лежит внутри .git, куда voxops никогда не пишет`,
        `${p.path} is inside .git, which voxops never writes`,
      );
    case "missing":
      return t(lang, `файла ${p.path} нет`, `${p.path} does not exist`);
    case "rename-source-kept":
      return t(
        lang,
        `${p.path} будто бы переименован из ${p.from}, но изменение не удаляет ${p.from}`,
        `${p.path} is said to be renamed from ${p.from}, which the change does not remove`,
      );
    case "binary":
      return t(lang, `${p.path} стал бы двоичным файлом`, `${p.path} would be a binary file`);
    case "file-too-large":
      return t(
        lang,
        `${p.path} стал бы больше ${p.limit} байт`,
        `${p.path} would be larger than ${p.limit} bytes`,
      );
    case "too-many-lines":
      return t(
        lang,
        `в изменении ${p.count} изменённых строк, а можно не больше ${p.limit}`,
        `the change has ${p.count} changed lines; the limit is ${p.limit}`,
      );
    case "too-long-to-change":
      return t(
        lang,
        `${p.path} слишком длинный, чтобы менять его целиком`,
        `${p.path} is too long to change in one piece`,
      );
    case "exists-already":
      return t(
        lang,
        `${p.path} уже есть; переименовать можно только в новый путь`,
        `${p.path} already exists; a file can only be renamed to a new path`,
      );
  }
}
