import { describe, expect, expectTypeOf, it } from "vitest";
import { type ActionArgs, type ActionOutput, actionDefinitions } from "../../protocol/actions/catalog.ts";
import { createAdapters } from "../adapters/index.ts";
import type { ActionContext, ActionHandler, HandlerTable } from "../services/handler.ts";
import { createHandlers, createHandlerTable } from "./index.ts";

const untyped: ActionHandler = async () => ({});

describe("the sidecar's handler table", () => {
  it("has one handler for every action of the catalog, and nothing else", () => {
    const table = createHandlerTable(createAdapters());
    expect(Object.keys(table).sort()).toEqual(Object.keys(actionDefinitions).sort());
    for (const handler of Object.values(table)) expect(typeof handler).toBe("function");
    expect(Object.keys(createHandlers(createAdapters())).sort()).toEqual(
      Object.keys(actionDefinitions).sort(),
    );
  });

  it("types each handler from its definition (checked by tsc: an untyped handler does not fit)", () => {
    expectTypeOf(createHandlerTable).returns.toEqualTypeOf<HandlerTable>();
    expectTypeOf<HandlerTable["backup"]>().toEqualTypeOf<
      (args: ActionArgs<"backup">, ctx: ActionContext) => Promise<ActionOutput<"backup">>
    >();
    expectTypeOf<HandlerTable["code-read"]>().parameter(0).toEqualTypeOf<ActionArgs<"code-read">>();
    // @ts-expect-error a handler over untyped arguments returning unknown is not the `status` handler
    const loose: Pick<HandlerTable, "status"> = { status: untyped };
    // @ts-expect-error the table must name every action: one without `restart` is not a handler table
    const missing: HandlerTable = { ...createHandlerTable(createAdapters()), restart: undefined };
    expect([loose, missing].length).toBe(2);
  });
});
