/**
 * The escalation ladder — restart the sidecar (where the VM still answers its peer) → soft reboot
 * through the VM's own sidecar → Oracle SOFTRESET → RESET — and which part of it a plan uses.
 */
import type { InstanceAction } from "../oracle/instance-client.ts";
import type { StepName, WatchedVm } from "./watchdog-config.ts";
import type { FenceOperation } from "./watchdog-messages.ts";

/** Steps that restart the machine; they count against the reset budget. */
export function isReset(step: StepName): boolean {
  return step !== "restart-sidecar";
}

/** Steps that go through Oracle Cloud. */
export function isOracleStep(step: StepName): step is InstanceAction & StepName {
  return step === "SOFTRESET" || step === "RESET" || step === "START";
}

/**
 * The steps of an automatic plan for a VM declared dead: its sidecar cannot be reached (that is
 * what "dead" means), so the ladder starts at Oracle; a stopped instance is started; a second plan
 * in the same episode goes straight to RESET (SOFTRESET already failed to help).
 */
export function automaticSteps(vm: WatchedVm, lifecycle: string | null, planInEpisode: number): StepName[] {
  if (!vm.oci) return [];
  if (lifecycle === "STOPPED") return ["START"];
  return planInEpisode === 0 ? ["SOFTRESET", "RESET"] : ["RESET"];
}

/** The steps of a human's reboot: through the sidecar while it answers, then Oracle. */
export function manualSteps(vm: WatchedVm, mode: "soft" | "hard", sidecarAnswers: boolean): StepName[] {
  const oracle: StepName[] = vm.oci ? (mode === "hard" ? ["RESET"] : ["SOFTRESET", "RESET"]) : [];
  if (mode === "hard" && vm.oci) return oracle;
  return sidecarAnswers ? ["soft-reboot", ...oracle] : oracle;
}

/** The operation a step performs on a VM. */
export function stepOperation(vm: WatchedVm, step: StepName, via: string | undefined): FenceOperation {
  if (isOracleStep(step) && vm.oci)
    return {
      type: "oracle",
      action: step,
      instanceId: vm.oci.instanceId,
      ...(vm.oci.region ? { region: vm.oci.region } : {}),
    };
  if (step === "restart-sidecar")
    return { type: "sidecar", action: "restart-sidecar", args: {}, ...(via ? { via } : {}) };
  return { type: "sidecar", action: "reboot", args: { mode: "soft" } };
}
