/** Wraps a handler so adapter failures reach the controller as ActionErrors with their code and retry hint. */
import { AdapterError } from "../adapters/adapter-error.ts";
import { ActionError, type ActionHandler } from "./handler.ts";

/** Converts an adapter failure into the ActionError the runner reports; other errors pass through. */
export function asActionError(e: unknown): unknown {
  if (e instanceof AdapterError)
    return new ActionError(e.code, e.detail ? `${e.message}\n${e.detail}`.slice(0, 3000) : e.message, {
      retryable: e.retryable,
      cause: e,
    });
  return e;
}

/** The same handler, with adapter failures converted. */
export function guard(handler: ActionHandler): ActionHandler {
  return async (args, ctx) => {
    try {
      return await handler(args, ctx);
    } catch (e) {
      throw asActionError(e);
    }
  };
}
