/** The argument schemas every action shares: service names and paths under a declared root. */
import * as z from "zod";

/** A service name: inventory-style, no shell characters, no path separators, no "..". */
export const serviceNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.@-]{0,63}$/, "a service name is lowercase letters, digits, '-', '_', '.', '@'")
  .refine((s) => !s.includes(".."), "a service name may not contain '..'");

/**
 * A path relative to a service's or VM's configured roots: no absolute paths, no "..", no shell
 * characters, and no part that starts with "-" (a program would read it as an option).
 */
export const relativePathSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_./@+-]+$/, "a path is letters, digits and _ . / @ + - only")
  .refine(
    (p) => !p.startsWith("/") && !p.split("/").includes(".."),
    "a path must be relative and may not contain '..'",
  )
  .refine((p) => !p.split("/").some((part) => part.startsWith("-")), "no part of a path may start with '-'");

/**
 * A git ref (commit, branch or tag), refused here by git's own rules (git check-ref-format) before git
 * sees it: no "..", no "@{", no "//", no part starting with "." or ending in ".lock", no "/" or "." at the end.
 */
export const gitRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/, "not a valid git ref")
  .refine((r) => !r.includes(".."), "a git ref may not contain '..'")
  .refine(
    (r) =>
      !r.includes("@{") &&
      !r.includes("//") &&
      !r.endsWith("/") &&
      !r.endsWith(".") &&
      !r.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock")),
    "not a valid git ref (see git check-ref-format)",
  );

/**
 * Config and restore paths are relative to the VM's configured roots ("etc/nginx/nginx.conf"); an
 * absolute path names the same file, so the leading slash of `path` and `file` is dropped (any ".." is
 * still refused by `relativePathSchema`). Other fields and non-objects pass through as they are.
 */
export function withRelativePaths<T>(args: T): T {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return args;
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const key of ["path", "file"]) {
    const v = out[key];
    if (typeof v === "string" && /^\/[^/]/.test(v)) out[key] = v.slice(1);
  }
  return out as T;
}
