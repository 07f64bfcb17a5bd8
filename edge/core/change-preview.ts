/**
 * What a config change will do, for its confirmation: a short unified diff of each find/replace
 * pair, or the new content's first lines, so nobody confirms a change they have not seen.
 */
import { diffLines } from "diff";
import type { Lang } from "./desk.ts";

const MAX_LINES = 24;
const MAX_LINE_CHARS = 160;

const clipLine = (line: string): string =>
  line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;

/** The lines of a unified diff from `before` to `after` ("-", "+" and " " prefixed). */
function diffOf(before: string, after: string): string[] {
  const out: string[] = [];
  for (const part of diffLines(before, after)) {
    const mark = part.added ? "+" : part.removed ? "-" : " ";
    for (const line of part.value.replace(/\n$/, "").split("\n")) out.push(`${mark} ${clipLine(line)}`);
  }
  return out;
}

/** The preview of a `config` action's change, or undefined when its arguments carry none. */
export function configChangePreview(args: Record<string, unknown>, lang: Lang): string | undefined {
  const ru = lang === "ru";
  let lines: string[];
  let title: string;
  if (Array.isArray(args["patch"]) && args["patch"].length > 0) {
    const pairs = args["patch"] as { find?: unknown; replace?: unknown }[];
    title = ru
      ? `Изменение (${pairs.length} замен):`
      : `The change (${pairs.length} replacement${pairs.length === 1 ? "" : "s"}):`;
    lines = pairs.flatMap((p, i) => [
      ...(pairs.length > 1 ? [`@@ ${i + 1} @@`] : []),
      ...diffOf(String(p.find ?? ""), String(p.replace ?? "")),
    ]);
  } else if (typeof args["content"] === "string") {
    const content = args["content"];
    const count = content === "" ? 0 : content.replace(/\n$/, "").split("\n").length;
    title = ru ? `Новое содержимое файла (${count} строк):` : `The file's new content (${count} lines):`;
    lines =
      content === ""
        ? []
        : content
            .replace(/\n$/, "")
            .split("\n")
            .map((l) => `+ ${clipLine(l)}`);
  } else return undefined;
  const shown = lines.slice(0, MAX_LINES);
  const more = lines.length - shown.length;
  return [
    title,
    ...shown,
    ...(more > 0 ? [ru ? `… и ещё ${more} строк` : `… and ${more} more lines`] : []),
  ].join("\n");
}
