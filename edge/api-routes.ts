/**
 * The operations API: the specification's endpoints and the generic command, ask and confirmation
 * routes. Every route builds a typed action and hands it to the desk, so the policy gate, the
 * confirmations and the audit are the same as for Telegram.
 */
import type { Context, Hono } from "hono";
import type { Inventory } from "../protocol/inventory.ts";
import { type AppEnv, outcomeResponse } from "./app.ts";
import { argumentRefusal } from "./core/api-field-refusal.ts";
import { routeBody, routeParams, routeQuery } from "./core/api-input.ts";
import { callerLang, refusalSentence } from "./core/api-language.ts";
import {
  actionBodies,
  askBody,
  errorsQuery,
  logsParams,
  logsQuery,
  metricsQuery,
  rebootBody,
  rebootQuery,
  restartBody,
  statusQuery,
} from "./core/api-request-schemas.ts";
import { commandBody } from "./core/api-schemas.ts";
import { resolveTargets, vmByNameOrAlias } from "./core/api-targets.ts";
import type { Controller } from "./core/controller.ts";
import type { Lang, ReplyOutcome } from "./core/desk.ts";
import type { OperatorDesk, SubmitResult } from "./core/operator-desk.ts";
import { generatedSchemas } from "./schemas/generated-schemas.ts";

export interface OperationsDeps {
  readonly controller: Controller;
  readonly desk: OperatorDesk;
  readonly inventory: Inventory;
}

type Body = Record<string, unknown>;

/** Answers a desk result as JSON with a status that says what happened. */
function answer(c: Context<AppEnv>, result: SubmitResult) {
  switch (result.kind) {
    case "invalid":
      return c.json({ status: "invalid", error: "invalid-request", message: result.message }, 422);
    case "denied":
      return c.json(
        {
          status: "denied",
          error: "denied",
          message: result.message,
          retryAfterMs: result.retryAfterMs ?? null,
        },
        403,
      );
    case "confirm":
      return c.json(
        {
          status: "pending-confirmation",
          confirmationId: result.id,
          readBack: result.readBack,
          expiresAt: new Date(result.expiresAt).toISOString(),
          confirm: { method: "POST", path: `/agent/confirmations/${result.id}` },
          cancel: { method: "DELETE", path: `/agent/confirmations/${result.id}` },
        },
        202,
      );
    case "done": {
      const failed =
        result.results.some((r) => r.outcome && !r.outcome.ok) ||
        result.results.some((r) => r.reboot && !r.reboot.accepted);
      const only = result.results.length === 1 ? result.results[0]?.outcome : undefined;
      // A reboot the watchdog declined (one already under way, the budget spent) is a conflict, not a bad gateway.
      const declined =
        result.results.length > 0 && result.results.every((r) => r.reboot && !r.reboot.accepted);
      const status = !failed ? 200 : only ? outcomeResponse(only).status : declined ? 409 : 502;
      return c.json({ status: failed ? "failed" : "ok", results: result.results, text: result.text }, status);
    }
  }
}

/** The status `/agent/ask` answers for a request that did not succeed. */
const askStatus = {
  denied: 403,
  invalid: 422,
  "not-understood": 422,
  failed: 502,
  "llm-failed": 502,
  "llm-missing": 503,
} as const satisfies Record<ReplyOutcome, number>;

/** Mounts the operations routes on the app; their input is parsed by the route table before they run. */
export function mountOperations(app: Hono<AppEnv>, deps: OperationsDeps): void {
  const { controller, desk, inventory } = deps;

  const knownVms = (): string => inventory.vms.map((v) => v.name).join(", ") || "—";
  /** Sends an action to the VMs the request names (or the VMs that run its service) through the desk. */
  const submit = async (
    c: Context<AppEnv>,
    action: string,
    args: Body,
    where: { vm?: string | undefined; fanOut: boolean },
    lang: Lang,
  ) => {
    const service = typeof args["service"] === "string" ? args["service"] : undefined;
    const targets = resolveTargets(inventory, { vm: where.vm, service, fanOut: where.fanOut, lang });
    if (!targets.ok) return c.json({ status: "invalid", error: "target", message: targets.message }, 422);
    const resolvedArgs =
      targets.service && service !== undefined ? { ...args, service: targets.service } : args;
    const submitted = await desk.submit(c.get("actor"), {
      action,
      args: resolvedArgs,
      vms: targets.vms,
      lang,
      origin: `api ${c.req.method} ${c.req.path}`,
      skipConfirm: c.get("skipConfirm"),
    });
    // The catalog words a refused name or argument in English (for the audit); the caller gets its language.
    const refusal = argumentRefusal(action, resolvedArgs, lang);
    const catalogWords =
      submitted.kind === "invalid" &&
      (submitted.message.startsWith(`${action}: `) || submitted.message.startsWith("unknown action"));
    const result = refusal && catalogWords ? { kind: "invalid" as const, message: refusal } : submitted;
    return answer(c, result);
  };
  /** The action's own arguments from a parsed body: everything but the target and the language. */
  const argsOf = ({ vm: _vm, lang: _lang, ...args }: Body): Body =>
    Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));

  app.get("/agent/openapi.json", (c) => c.json(generatedSchemas.openapi));

  app.get("/agent/vm/status", async (c) => {
    const { vm: asked, live } = routeQuery(c, statusQuery);
    const lang = await callerLang(c);
    const vm = asked === undefined || asked === "all" ? asked : (vmByNameOrAlias(inventory, asked) ?? asked);
    const fleet = controller.fleet().filter((v) => vm === undefined || vm === "all" || v.vm === vm);
    if (vm !== undefined && vm !== "all" && fleet.length === 0)
      return c.json(
        {
          error: "unknown-vm",
          message: refusalSentence("unknown-vm", lang, { vm: vm.slice(0, 40), known: knownVms() }),
        },
        404,
      );
    if (live === undefined) return c.json({ vms: fleet });
    const result = await desk.submit(c.get("actor"), {
      action: "status",
      args: {},
      vms: fleet.map((v) => v.vm),
      lang,
      origin: "api status",
    });
    return c.json({ vms: fleet, live: result.kind === "done" ? result.results : result });
  });

  app.post("/agent/commands", async (c) => {
    const { action, args = {}, vm } = routeBody(c, commandBody);
    return submit(c, action, args, { vm, fanOut: false }, await callerLang(c));
  });

  app.post("/agent/ask", async (c) => {
    const { text, lang } = routeBody(c, askBody);
    // Without "lang" the desk answers in the language the text is written in.
    const reply = await desk.handleText({
      actor: c.get("actor"),
      text: text.slice(0, 2000),
      ...(lang ? { lang } : {}),
    });
    const confirmationId = reply.confirmation?.id;
    return c.json(
      {
        ...reply,
        ...(confirmationId
          ? { confirmationId, confirm: { method: "POST", path: `/agent/confirmations/${confirmationId}` } }
          : {}),
      },
      confirmationId ? 202 : reply.outcome ? askStatus[reply.outcome] : 200,
    );
  });

  const settle = (cancel: boolean) => async (c: Context<AppEnv>) => {
    const lang = await callerLang(c);
    const result = await desk.confirm(c.get("actor"), c.req.param("id") ?? "", cancel, lang);
    if (result.kind === "refused")
      return c.json(
        { status: "refused", error: result.refusal, message: result.message },
        result.refusal === "unknown" ? 404 : 409,
      );
    return answer(c, result);
  };
  app.post("/agent/confirmations/:id", settle(false));
  app.delete("/agent/confirmations/:id", settle(true));

  app.post("/agent/vm/reboot", async (c) => {
    const body = routeBody(c, rebootBody);
    return submit(c, "reboot", argsOf(body), { vm: body.vm, fanOut: false }, await callerLang(c));
  });
  // The follow-up of the last reboot asked of a VM: accepted, went down, came back, or did not (and why).
  app.get("/agent/vm/reboot", async (c) => {
    const asked = routeQuery(c, rebootQuery).vm;
    const lang = await callerLang(c);
    const vm = vmByNameOrAlias(inventory, asked);
    if (!vm)
      return c.json(
        {
          error: "unknown-vm",
          message: refusalSentence("unknown-vm", lang, { vm: asked.slice(0, 40), known: knownVms() }),
        },
        404,
      );
    const status = await desk.rebootStatus(vm, lang);
    if (!status)
      return c.json({ error: "no-reboot", message: refusalSentence("no-reboot", lang, { vm }) }, 404);
    return c.json(status);
  });
  app.post("/agent/service/restart", async (c) => {
    const body = routeBody(c, restartBody);
    return submit(c, "restart", argsOf(body), { vm: body.vm, fanOut: false }, await callerLang(c));
  });
  app.get("/agent/logs/:service", async (c) => {
    const { service } = routeParams(c, logsParams);
    const { vm, lines } = routeQuery(c, logsQuery);
    return submit(c, "logs", { service, lines }, { vm, fanOut: true }, await callerLang(c));
  });
  app.get("/agent/errors", async (c) => {
    const { service, vm } = routeQuery(c, errorsQuery);
    return submit(
      c,
      "errors",
      service ? { service } : {},
      { vm: vm ?? (service ? undefined : "all"), fanOut: true },
      await callerLang(c),
    );
  });
  app.get("/agent/metrics", async (c) => {
    const { metric, vm } = routeQuery(c, metricsQuery);
    return submit(
      c,
      "metrics",
      metric ? { metric } : {},
      { vm: vm ?? "all", fanOut: true },
      await callerLang(c),
    );
  });
  for (const [path, action] of [
    ["/agent/code/deploy", "deploy"],
    ["/agent/config", "config"],
    ["/agent/backup", "backup"],
    ["/agent/restore", "restore"],
    ["/agent/fix", "fix"],
  ] as const)
    app.post(path, async (c) => {
      const body: Body = routeBody(c, actionBodies[action]);
      const vm = typeof body["vm"] === "string" ? body["vm"] : undefined;
      // A backup goes to every VM unless one is named; the others change one VM.
      const where = action === "backup" ? { vm: vm ?? "all", fanOut: true } : { vm, fanOut: false };
      return submit(c, action, argsOf(body), where, await callerLang(c));
    });
}
