/** The sidecar's action handlers, keyed by catalog name. */
import type { ActionName } from "../../edge/protocol/actions.ts";
import type { ActionHandler } from "./handler.ts";
import { status } from "./status.ts";

/** Handlers this sidecar implements; a catalog action without one is refused as unsupported. */
export const handlers: Partial<Record<ActionName, ActionHandler>> = {
  status,
};
