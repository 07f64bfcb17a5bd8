/** What a creation request, or a command about what voxops created, became: the code desk's answer shapes. */
import type { Proposal } from "./proposal.ts";

/** What a creation request became (the code desk's answer shapes). */
export type CreationAnswer =
  | {
      readonly kind: "proposal";
      readonly proposal: Proposal;
      readonly confirmationId: string;
      readonly expiresAt: number;
      /** The read-back: the summary, the files, and the unit from the template. */
      readonly readBack: string;
      /** The units' whole text, attached beside the diff. */
      readonly units: string;
    }
  | { readonly kind: "ask" | "refused" | "not-configured" | "no-change" | "done"; readonly message: string }
  | { readonly kind: "pending"; readonly message: string; readonly confirmationId: string };
