/**
 * What each `/agent/*` route takes: its body, query and path parameters as zod schemas. The route
 * table (`api-spec.ts`) documents them, the input middleware (`api-input.ts`) parses every request
 * by them, and the handlers read the typed values.
 */
import * as z from "zod";
import { actionArgs } from "../../protocol/actions/catalog.ts";
import { commandText, langField, vmField } from "./api-schemas.ts";

/**
 * The body of a route that runs an action: the action's arguments, the target VM and the language.
 * Other fields are ignored (the route passes on only the arguments), so the body is not strict.
 */
const actionBody = <A extends keyof typeof actionArgs>(action: A) =>
  z.object({ ...actionArgs[action].shape, vm: vmField.optional(), lang: langField });

/** The body of `POST /agent/vm/reboot`: the reboot's arguments and the VM, which it must name. */
export const rebootBody = z
  .object({ ...actionArgs.reboot.shape, vm: vmField, lang: langField })
  .meta({ examples: [{ vm: "vm2" }] });
/** The body of `POST /agent/service/restart`. */
export const restartBody = actionBody("restart");
/** The bodies of the action routes that take the action's arguments as they are. */
export const actionBodies = {
  deploy: actionBody("deploy"),
  config: actionBody("config"),
  backup: actionBody("backup"),
  restore: actionBody("restore"),
  fix: actionBody("fix"),
} as const;
/** The body of `POST /agent/ask`. */
export const askBody = z
  .object({
    text: commandText,
    lang: z
      .enum(["ru", "en"])
      .optional()
      .catch(undefined)
      .describe(
        "the language of refusals; the reply follows the language the command is written in (one Cyrillic word makes it Russian), and this only when the text has no words of either",
      ),
  })
  .meta({ examples: [{ text: "restart grok-voice" }] });
/** The body of a confirmation's POST and DELETE, and of a code change's apply. */
export const langBody = z.object({ lang: langField });
/** The query of `GET /agent/vm/status`. */
export const statusQuery = z.object({ vm: vmField.optional(), live: z.string().optional(), lang: langField });
/** The query of `GET /agent/vm/reboot`. */
export const rebootQuery = z.object({ vm: vmField, lang: langField });
/** The path parameter of `GET /agent/logs/:service`. */
export const logsParams = actionArgs.logs.pick({ service: true });
/** The query of `GET /agent/logs/:service`. */
export const logsQuery = z.object({
  vm: vmField.optional(),
  lines: actionArgs.logs.shape.lines,
  lang: langField,
});
/** The query of `GET /agent/errors`. */
export const errorsQuery = z.object({
  service: actionArgs.errors.shape.service,
  vm: vmField.optional(),
  lang: langField,
});
/** The query of `GET /agent/metrics`. */
export const metricsQuery = z.object({
  metric: actionArgs.metrics.shape.metric,
  vm: vmField.optional(),
  lang: langField,
});
