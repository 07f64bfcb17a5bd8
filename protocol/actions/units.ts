/** Sizes and durations as the operator reads them: GiB/MiB with one decimal, seconds, in either language. */
import type { Lang } from "../action-definition.ts";

/** Bytes as GiB with one decimal ("175.3"). */
export function gib(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(1);
}

/** Bytes in the unit that reads best: "812 MB" / "3.2 GB" (МБ / ГБ in Russian). */
export function size(bytes: number, lang: Lang): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} ${lang === "ru" ? "ГиБ" : "GiB"}`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} ${lang === "ru" ? "МиБ" : "MiB"}`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} ${lang === "ru" ? "КиБ" : "KiB"}`;
  return `${bytes} ${lang === "ru" ? "байт" : "bytes"}`;
}

/** Milliseconds as seconds with one decimal, with the unit: "2.4 s" / "2.4 с". */
export function seconds(ms: number, lang: Lang): string {
  return `${(ms / 1000).toFixed(1)} ${lang === "ru" ? "с" : "s"}`;
}

/** Data lines (log lines, file text, search hits) under a sentence: indented, so they read as quoted evidence. */
export function quoted(lines: readonly string[]): string {
  return lines.map((l) => `  ${l}`).join("\n");
}
