/**
 * The HTTPS routes for programming: `POST /agent/code` proposes a change (diff + confirmation id),
 * `POST /agent/code/apply/:id` applies a confirmed one (and offers a revert), through the same desk,
 * gate, confirmations and audit as Telegram.
 */
import type { Hono } from "hono";
import { callerLang, refusalSentence } from "../core/api-language.ts";
import { codeBody, commandText } from "../core/api-schemas.ts";
import type { AppEnv } from "../core/app-env.ts";
import { jsonBody } from "../core/json-body.ts";
import type { CodeDesk } from "./code-desk.ts";

/** Mounts the code routes on the app. */
export function mountCodeRoutes(app: Hono<AppEnv>, codeDesk: CodeDesk): void {
  app.post("/agent/code", async (c) => {
    const b = await jsonBody(c);
    const lang = await callerLang(c);
    if (!commandText.safeParse(b["text"]).success || typeof b["text"] !== "string")
      return c.json({ error: "bad-request", message: refusalSentence("no-code-text", lang) }, 400);
    // A service or vm that is not a name was once ignored, and the desk asked which service to change.
    if (!codeBody.pick({ service: true, vm: true }).safeParse(b).success)
      return c.json(
        { status: "refused", error: "invalid-request", message: refusalSentence("bad-code-target", lang) },
        422,
      );
    const answer = await codeDesk.ask(c.get("actor"), {
      text: b["text"].slice(0, 2000),
      lang,
      service: typeof b["service"] === "string" ? b["service"] : undefined,
      vm: typeof b["vm"] === "string" ? b["vm"] : undefined,
    });
    if (answer.kind === "pending")
      return c.json(
        {
          status: "pending-confirmation",
          confirmationId: answer.confirmationId,
          readBack: answer.message,
          apply: { method: "POST", path: `/agent/code/apply/${answer.confirmationId}` },
        },
        202,
      );
    if (answer.kind !== "proposal") {
      const status = answer.kind === "refused" ? 422 : answer.kind === "not-configured" ? 503 : 200;
      return c.json({ status: answer.kind, message: answer.message }, status);
    }
    const p = answer.proposal;
    return c.json(
      {
        status: "pending-confirmation",
        confirmationId: answer.confirmationId,
        expiresAt: answer.expiresAt,
        vm: p.vm,
        service: p.service,
        summary: p.summary,
        readBack: codeDesk.reply(answer, lang).text.split("\n")[0],
        files: p.files.map((f) => f.path),
        added: p.added,
        removed: p.removed,
        diff: p.diff,
        diffSha256: p.diffSha256,
        steps: answer.steps,
        ...(answer.units ? { units: answer.units } : {}),
        apply: { method: "POST", path: `/agent/code/apply/${answer.confirmationId}` },
        cancel: { method: "DELETE", path: `/agent/confirmations/${answer.confirmationId}` },
      },
      202,
    );
  });

  app.post("/agent/code/apply/:id", async (c) => {
    const r = await codeDesk.apply(c.get("actor"), c.req.param("id"), await callerLang(c));
    return c.json(
      {
        status: r.ok ? "applied" : "failed",
        text: r.text,
        steps: r.steps ?? [],
        ...(r.revertConfirmationId
          ? {
              revertConfirmationId: r.revertConfirmationId,
              revert: { method: "POST", path: `/agent/code/apply/${r.revertConfirmationId}` },
            }
          : {}),
        ...(r.runConfirmationId
          ? {
              runConfirmationId: r.runConfirmationId,
              run: { method: "POST", path: `/agent/code/apply/${r.runConfirmationId}` },
            }
          : {}),
      },
      r.ok ? 200 : 409,
    );
  });
}
