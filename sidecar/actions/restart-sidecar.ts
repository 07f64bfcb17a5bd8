/**
 * The `restart-sidecar` action: answer, then exit with a non-zero code so systemd's
 * Restart=on-failure starts a fresh sidecar (new process, new links). The result is journaled
 * before the exit, so a redelivered command is answered from the journal and not run twice.
 */
import type { ActionHandler } from "../services/handler.ts";

/** Exit code the sidecar uses to ask its supervisor for a restart (EX_TEMPFAIL). */
export const RESTART_EXIT_CODE = 75;

/** Creates the handler; `exit` and `delayMs` are for tests. */
export function createRestartSidecar(
  options: { exit?: (code: number) => void; delayMs?: number } = {},
): ActionHandler<"restart-sidecar"> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  return async () => {
    setTimeout(() => exit(RESTART_EXIT_CODE), options.delayMs ?? 500);
    return { restarting: true, pid: process.pid, exitCode: RESTART_EXIT_CODE };
  };
}
