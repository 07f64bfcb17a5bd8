/** The built-in rules, most specific first; adding a rule is a file in this folder and a line here. */

import type { Rule } from "../rule-kit/rule.ts";
import { fileNotFound } from "./file-not-found.ts";
import { importError } from "./import-error.ts";
import { outOfMemory } from "./out-of-memory.ts";
import { outOfSpace } from "./out-of-space.ts";
import { portInUse } from "./port-in-use.ts";
import { unknownError } from "./unknown-error.ts";
import { watchLimit } from "./watch-limit.ts";

/** Every rule in the order a burst is judged; the last one catches every other error line. */
export const builtInRules: readonly Rule[] = [
  importError,
  fileNotFound,
  portInUse,
  watchLimit,
  outOfMemory,
  outOfSpace,
  unknownError,
];
