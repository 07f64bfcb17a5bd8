/** The port every code engine implements: from an operator's request to the files of a proposed change. */

import type { CodeSpec } from "../../protocol/code-inventory.ts";
import type { Lang } from "../core/desk.ts";
import type { EngineFailure } from "./engine-failure.ts";
import type { FileChange } from "./proposal.ts";
import type { SourceReader } from "./source-reader.ts";

/** What an engine is asked. */
export interface EngineRequest {
  readonly vm: string;
  readonly service: string;
  readonly code: CodeSpec;
  readonly request: string;
  readonly lang: Lang;
  readonly reader: SourceReader;
  /** Called with a short note at each step (reading…, proposing…). */
  readonly onProgress?: (note: string) => void;
  readonly signal?: AbortSignal;
}

/** What an engine returns: the files and a summary, or why there is no change. */
export type EngineResult =
  | {
      readonly ok: true;
      readonly summary: string;
      readonly changes: readonly FileChange[];
      readonly endpoint?: string;
      /** For a new service or script: the name and the entry file the model gave. */
      readonly name?: string;
      readonly entry?: string;
      /** Model or agent steps used. */
      readonly steps: number;
    }
  | { readonly ok: false; readonly failure: EngineFailure };

/** A code engine (the built-in LLM loop, or an external coding agent). */
export interface CodeEngine {
  readonly name: string;
  propose(request: EngineRequest): Promise<EngineResult>;
}
