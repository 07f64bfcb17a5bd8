/** What reading a service's source returns (a listing, a line range, search hits): `code-*` and `files` share them. */
import * as z from "zod";

/** A listing under a service's root: entries end with "/" for directories. */
export const listingSchema = z.object({
  service: z.string(),
  dir: z.string(),
  entries: z.array(z.string()),
  truncated: z.boolean(),
});

/** A line range of one file. */
export const fileTextSchema = z.object({
  service: z.string(),
  path: z.string(),
  totalLines: z.number().int().nonnegative(),
  fromLine: z.number().int(),
  toLine: z.number().int(),
  text: z.string(),
  sha256: z.string().optional(),
  whole: z.boolean(),
});

/** The lines that contain a text. */
export const searchHitsSchema = z.object({
  service: z.string(),
  text: z.string(),
  hits: z.array(z.object({ path: z.string(), line: z.number().int(), text: z.string() })),
  filesSearched: z.number().int().nonnegative(),
});
