/** The reset budget: how many resets a VM may get on the watchdog's own initiative, and how soon. */
import type { ResetBudget } from "./watchdog-config.ts";
import type { VmWatch } from "./watchdog-state.ts";

/** Resets counted in the rolling window ending now. */
export function resetsInWindow(vm: VmWatch, now: number, budget: ResetBudget): number {
  return vm.resets.filter((at) => now - at < budget.windowMs).length;
}

/** True when one more automatic reset fits in the budget. */
export function mayReset(vm: VmWatch, now: number, budget: ResetBudget): boolean {
  return resetsInWindow(vm, now, budget) < budget.maxResets;
}

/** When the next automatic plan may start after one ended now: base·2^(plans ended in window − 1). */
export function nextPlanAt(vm: VmWatch, now: number, budget: ResetBudget): number {
  const ended = vm.planEnds.filter((at) => now - at < budget.windowMs).length;
  const wait = Math.min(budget.backoffMaxMs, budget.backoffBaseMs * 2 ** Math.max(0, ended - 1));
  return now + wait;
}

/** Drops timestamps older than the window, so the state stays small. */
export function pruneBudget(vm: VmWatch, now: number, budget: ResetBudget): void {
  vm.resets = vm.resets.filter((at) => now - at < budget.windowMs);
  vm.planEnds = vm.planEnds.filter((at) => now - at < budget.windowMs);
}
