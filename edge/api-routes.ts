/**
 * The operations API: the specification's endpoints and the generic command, ask and confirmation
 * routes. Every route builds a typed action and hands it to the desk, so the policy gate, the
 * confirmations and the audit are the same as for Telegram.
 */
import type { Context, Hono } from "hono";
import type { Inventory } from "../protocol/inventory.ts";
import { actionRefusal } from "./action-refusal.ts";
import { argumentNames, commandBody, commandText } from "./api-spec.ts";
import { type AppEnv, outcomeResponse } from "./app.ts";
import { callerLang, refusalSentence } from "./core/api-language.ts";
import type { Controller } from "./core/controller.ts";
import type { Lang, ReplyOutcome } from "./core/desk.ts";
import { jsonBody } from "./core/json-body.ts";
import type { OperatorDesk, SubmitResult } from "./core/operator-desk.ts";
import { generatedSchemas } from "./generated-schemas.ts";

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

/** Mounts the operations routes on the app. */
export function mountOperations(app: Hono<AppEnv>, deps: OperationsDeps): void {
  const { controller, desk, inventory } = deps;

  const body = jsonBody;
  /** The VMs a request names, or the VMs that run its service. */
  const targets = (vm: unknown, service: unknown, fanOut: boolean, lang: Lang = "en"): string[] | string => {
    if (vm !== undefined && (typeof vm !== "string" || vm === ""))
      return refusalSentence("bad-vm", lang, { known: knownVms() });
    if (service === "") return refusalSentence("empty-service", lang, { services: knownServices() });
    if (vm === "all") return inventory.vms.map((v) => v.name);
    if (typeof vm === "string" && vm !== "") return [vm];
    const ru = lang === "ru";
    // With one VM there is nothing to choose.
    if (inventory.vms.length === 1 && inventory.vms[0]) return [inventory.vms[0].name];
    if (typeof service === "string") {
      const holders = inventory.vmsWithService(service);
      if (holders.length === 1 || (fanOut && holders.length > 1)) return holders;
      const name = service.slice(0, 40);
      return holders.length === 0
        ? ru
          ? `Ни на одной VM нет сервиса «${name}». Известные сервисы: ${knownServices()}.`
          : `No VM runs a service called "${name}". Known services: ${knownServices()}.`
        : ru
          ? `Сервис ${name} есть на ${holders.join(" и ")}: укажите vm.`
          : `The service ${name} runs on ${holders.join(" and ")}: name the vm.`;
    }
    if (fanOut) return inventory.vms.map((v) => v.name);
    return ru
      ? `Укажите vm: ${inventory.vms.map((v) => v.name).join(", ")}.`
      : `Name the vm: ${inventory.vms.map((v) => v.name).join(", ")}.`;
  };
  const knownVms = (): string => inventory.vms.map((v) => v.name).join(", ") || "—";
  const knownServices = (): string =>
    [...new Set(inventory.vms.flatMap((v) => v.services.map((x) => x.name)))].join(", ") || "—";
  const submit = async (
    c: Context<AppEnv>,
    action: string,
    args: Body,
    vmsOrError: string[] | string,
    lang: Lang,
  ) => {
    if (typeof vmsOrError === "string")
      return c.json({ status: "invalid", error: "target", message: vmsOrError }, 422);
    const submitted = await desk.submit(c.get("actor"), {
      action,
      args,
      vms: vmsOrError,
      lang,
      origin: `api ${c.req.method} ${c.req.path}`,
      skipConfirm: c.get("skipConfirm"),
    });
    // The catalog words a refused name or argument in English (for the audit); the caller gets its language.
    const refusal = actionRefusal(action, args, lang);
    const catalogWords =
      submitted.kind === "invalid" &&
      (submitted.message.startsWith(`${action}: `) || submitted.message.startsWith("unknown action"));
    const result = refusal && catalogWords ? { kind: "invalid" as const, message: refusal } : submitted;
    return answer(c, result);
  };
  const pick = (b: Body, ...keys: string[]): Body =>
    Object.fromEntries(keys.filter((k) => b[k] !== undefined).map((k) => [k, b[k]]));

  app.get("/agent/openapi.json", (c) => c.json(generatedSchemas.openapi));

  /** A `vm` query parameter given empty (`?vm=`): the route says it is missing instead of looking for a VM called "". */
  const emptyVmParam = (c: Context<AppEnv>, lang: Lang) =>
    c.req.query("vm") === ""
      ? c.json(
          {
            status: "invalid",
            error: "no-vm",
            message: refusalSentence("no-vm-param", lang, { known: knownVms() }),
          },
          422,
        )
      : undefined;

  app.get("/agent/vm/status", async (c) => {
    const vm = c.req.query("vm");
    const lang = await callerLang(c);
    const empty = emptyVmParam(c, lang);
    if (empty) return empty;
    const fleet = controller.fleet().filter((v) => vm === undefined || vm === "all" || v.vm === vm);
    if (vm !== undefined && vm !== "all" && fleet.length === 0)
      return c.json(
        {
          error: "unknown-vm",
          message: refusalSentence("unknown-vm", lang, { vm: vm.slice(0, 40), known: knownVms() }),
        },
        404,
      );
    if (c.req.query("live") === undefined) return c.json({ vms: fleet });
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
    const b = await body(c);
    const lang = await callerLang(c);
    if (typeof b["action"] !== "string")
      return c.json({ error: "bad-request", message: refusalSentence("no-action", lang) }, 400);
    // Arguments that are not an object were once dropped and the action run without them.
    const parsedArgs = commandBody.shape.args.safeParse(b["args"]);
    if (!parsedArgs.success)
      return c.json(
        { status: "invalid", error: "invalid-request", message: refusalSentence("bad-args", lang) },
        422,
      );
    const args: Body = parsedArgs.data ?? {};
    return submit(c, b["action"], args, targets(b["vm"], args["service"], false, lang), lang);
  });

  app.post("/agent/ask", async (c) => {
    const b = await body(c);
    const asked = b["lang"] === "ru" || b["lang"] === "en" ? b["lang"] : undefined;
    if (!commandText.safeParse(b["text"]).success || typeof b["text"] !== "string")
      return c.json({ error: "bad-request", message: refusalSentence("no-text", await callerLang(c)) }, 400);
    // Without "lang" the desk answers in the language the text is written in.
    const reply = await desk.handleText({
      actor: c.get("actor"),
      text: b["text"].slice(0, 2000),
      ...(asked ? { lang: asked } : {}),
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
    const b = await body(c);
    const lang = await callerLang(c);
    if (b["vm"] === undefined)
      return c.json(
        { status: "invalid", error: "target", message: refusalSentence("no-reboot-vm", lang) },
        422,
      );
    return submit(
      c,
      "reboot",
      pick(b, ...argumentNames("reboot")),
      targets(b["vm"], undefined, false, lang),
      lang,
    );
  });
  // The follow-up of the last reboot asked of a VM: accepted, went down, came back, or did not (and why).
  app.get("/agent/vm/reboot", async (c) => {
    const vm = c.req.query("vm") ?? "";
    const lang = await callerLang(c);
    if (vm === "")
      return c.json(
        { error: "no-vm", message: refusalSentence("no-vm-param", lang, { known: knownVms() }) },
        422,
      );
    if (!inventory.vm(vm))
      return c.json(
        {
          error: "unknown-vm",
          message:
            lang === "ru"
              ? `Нет VM «${vm.slice(0, 40)}»: укажите ?vm= из инвентаря.`
              : `There is no VM called "${vm.slice(0, 40)}": give ?vm= from the inventory.`,
        },
        404,
      );
    const status = await desk.rebootStatus(vm, lang);
    if (!status)
      return c.json(
        {
          error: "no-reboot",
          message: lang === "ru" ? `Перезагрузку ${vm} не запрашивали.` : `No reboot of ${vm} was asked.`,
        },
        404,
      );
    return c.json(status);
  });
  app.post("/agent/service/restart", async (c) => {
    const b = await body(c);
    const lang = await callerLang(c);
    return submit(
      c,
      "restart",
      pick(b, ...argumentNames("restart")),
      targets(b["vm"], b["service"], false, lang),
      lang,
    );
  });
  app.get("/agent/logs/:service", async (c) => {
    const lang = await callerLang(c);
    const empty = emptyVmParam(c, lang);
    if (empty) return empty;
    const lines = c.req.query("lines");
    const args: Body = { service: c.req.param("service"), ...(lines ? { lines: Number(lines) } : {}) };
    return submit(c, "logs", args, targets(c.req.query("vm"), c.req.param("service"), true, lang), lang);
  });
  app.get("/agent/errors", async (c) => {
    const lang = await callerLang(c);
    const empty = emptyVmParam(c, lang);
    if (empty) return empty;
    const service = c.req.query("service");
    return submit(
      c,
      "errors",
      service ? { service } : {},
      targets(c.req.query("vm") ?? (service ? undefined : "all"), service, true, lang),
      lang,
    );
  });
  app.get("/agent/metrics", async (c) => {
    const lang = await callerLang(c);
    const empty = emptyVmParam(c, lang);
    if (empty) return empty;
    const metric = c.req.query("metric");
    return submit(
      c,
      "metrics",
      metric ? { metric } : {},
      targets(c.req.query("vm") ?? "all", undefined, true, lang),
      lang,
    );
  });
  app.post("/agent/code/deploy", async (c) => {
    const b = await body(c);
    const lang = await callerLang(c);
    return submit(
      c,
      "deploy",
      pick(b, ...argumentNames("deploy")),
      targets(b["vm"], b["service"], false, lang),
      lang,
    );
  });
  app.post("/agent/config", async (c) => {
    const b = await body(c);
    const lang = await callerLang(c);
    return submit(
      c,
      "config",
      pick(b, ...argumentNames("config")),
      targets(b["vm"], b["service"], false, lang),
      lang,
    );
  });
  app.post("/agent/backup", async (c) => {
    const b = await body(c);
    const lang = await callerLang(c);
    return submit(
      c,
      "backup",
      pick(b, ...argumentNames("backup")),
      targets(b["vm"] ?? "all", undefined, true, lang),
      lang,
    );
  });
  app.post("/agent/restore", async (c) => {
    const b = await body(c);
    const lang = await callerLang(c);
    return submit(
      c,
      "restore",
      pick(b, ...argumentNames("restore")),
      targets(b["vm"], undefined, false, lang),
      lang,
    );
  });
  app.post("/agent/fix", async (c) => {
    const b = await body(c);
    const lang = await callerLang(c);
    return submit(
      c,
      "fix",
      pick(b, ...argumentNames("fix")),
      targets(b["vm"], b["service"], false, lang),
      lang,
    );
  });
}
