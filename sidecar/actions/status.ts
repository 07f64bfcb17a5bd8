/** The `status` action: the VM's figures (service states are added by the systemd adapter). */
import { readFigures } from "../system/figures.ts";
import type { ActionHandler } from "./handler.ts";

/** Reports uptime, load, memory and disk of this VM. */
export const status: ActionHandler = async (_args, ctx) => {
  const figures = await readFigures();
  return { vm: ctx.vm, figures };
};
