/**
 * Turns the watchdog's effects into port calls and the outcomes back into inputs. Before any fence
 * it writes the fence record and re-checks the lease; Oracle calls carry a retry token derived
 * from the stored record, so a step sent twice (an alarm that ran twice) is performed once.
 */
import { OracleError } from "../oracle/oracle-error.ts";
import { deriveRetryToken } from "../oracle/retry-token.ts";
import type { EffectFailure, WatchdogEffect, WatchdogInput } from "./watchdog-messages.ts";
import type { WatchdogPorts } from "./watchdog-ports.ts";

/** Runs one effect; resolves to the input that reports its outcome, if it has one. */
export type WatchdogExecutor = (effect: WatchdogEffect) => Promise<WatchdogInput | undefined>;

function failure(error: unknown): EffectFailure {
  if (error instanceof OracleError)
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  return {
    code: "unexpected",
    message: error instanceof Error ? error.message : String(error),
    retryable: true,
  };
}

/** Creates the executor over the host's ports. */
export function createWatchdogExecutor(ports: WatchdogPorts): WatchdogExecutor {
  return async (effect) => {
    switch (effect.kind) {
      case "alert":
        try {
          await ports.notifier.notify(effect.alert);
        } catch (error) {
          ports.onError?.(error, `alert ${effect.alert.key}`);
        }
        return undefined;
      case "audit":
        ports.audit.append(effect.entry);
        return undefined;
      case "reboot-stage":
        try {
          await ports.reboots?.onStage(effect.vm, effect.record);
        } catch (error) {
          ports.onError?.(error, `reboot of ${effect.vm}: ${effect.record.stage}`);
        }
        return undefined;
      case "probe": {
        const base = {
          type: "probe-result",
          vm: effect.vm,
          via: effect.via,
          requestId: effect.requestId,
        } as const;
        try {
          const r = await ports.sidecars.probe({
            via: effect.via,
            vm: effect.vm,
            timeoutMs: effect.timeoutMs,
          });
          return { ...base, reached: r.reached, ...(r.detail === undefined ? {} : { detail: r.detail }) };
        } catch (error) {
          return { ...base, reached: null, detail: failure(error).message };
        }
      }
      case "oracle-get": {
        const base = { type: "oracle-state", vm: effect.vm } as const;
        if (!ports.oracle)
          return {
            ...base,
            lifecycleState: null,
            error: { code: "no-oracle", message: "no Oracle config", retryable: false },
          };
        try {
          const r = await ports.oracle.getInstance(effect.instanceId, { region: effect.region });
          return { ...base, lifecycleState: r.instance.lifecycleState };
        } catch (error) {
          return { ...base, lifecycleState: null, error: failure(error) };
        }
      }
      case "fence": {
        const { record, operation } = effect;
        const base = { type: "fence-result", vm: record.vm, epoch: record.epoch } as const;
        try {
          const stored = await ports.store.putFence(record);
          if (!ports.lease.holdsLease())
            return {
              ...base,
              ok: false,
              error: {
                code: "lease-lost",
                message: "this controller no longer holds the fencing lease",
                retryable: true,
              },
            };
          if (operation.type === "sidecar") {
            const r = await ports.sidecars.command({
              vm: record.vm,
              action: operation.action,
              args: operation.args,
              timeoutMs: 15_000,
              ...(operation.via ? { via: operation.via } : {}),
            });
            return { ...base, ok: r.ok, ...(r.error ? { error: r.error } : {}) };
          }
          if (!ports.oracle)
            return {
              ...base,
              ok: false,
              error: {
                code: "no-oracle",
                message: "no Oracle Cloud config on this controller",
                retryable: false,
                hint: "set OCI_TENANCY, OCI_USER, OCI_FINGERPRINT, OCI_PRIVATE_KEY and OCI_REGION",
              },
            };
          const retryToken = await deriveRetryToken({
            vm: stored.vm,
            epoch: stored.epoch,
            action: operation.action,
            instanceId: operation.instanceId,
            at: stored.at,
          });
          const r = await ports.oracle.instanceAction(operation.instanceId, operation.action, {
            retryToken,
            region: operation.region,
          });
          return { ...base, ok: true, ...(r.opcRequestId ? { opcRequestId: r.opcRequestId } : {}) };
        } catch (error) {
          return { ...base, ok: false, error: failure(error) };
        }
      }
    }
  };
}
