/** The HTTPS app's request context, as routes of every feature see it. */
import type { Actor } from "./actors.ts";

/** Variables the middleware puts on the context: the request's id, then the caller. */
export type AppEnv = { Variables: { requestId: string; actor: Actor; skipConfirm: boolean } };
