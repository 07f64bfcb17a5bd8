/**
 * How a controller restart reads on the wire, and how long a sidecar may take to dial back: the
 * controller closes each sidecar socket with 1012 ("service restart") or 1001 ("going away") from
 * the IANA WebSocket close code registry (RFC 6455 §7.4), the sidecar redials at once, and the
 * watchdog does not count the silence a redial takes as the VM's.
 */

/** The close code and reason a controller sends to every sidecar when it shuts down on purpose. */
export const CONTROLLER_RESTART_CLOSE = { code: 1012, reason: "controller restarting" } as const;

/** True for a close code that says the controller went away on purpose (1012 or 1001), not that the link broke. */
export function isControllerRestartClose(code: number): boolean {
  return code === 1012 || code === 1001;
}

/** The cap of the sidecar's re-dial backoff: no single wait between dials is longer (full jitter). */
export const SIDECAR_REDIAL_CAP_MS = 30_000;

/** The largest random wait before each quick redial after a restart close. */
export const RESTART_REDIAL_JITTER_MS = 1_000;

/** Quick redials after a restart close before the sidecar falls back to its (reset) backoff. */
export const RESTART_REDIAL_ATTEMPTS = 5;

/**
 * The longest a sidecar can take to dial a controller that has just started: a dial it had
 * already scheduled waits at most the backoff's cap. The watchdog counts no silence before a
 * controller's start plus this.
 */
export const SIDECAR_LONGEST_REDIAL_MS = SIDECAR_REDIAL_CAP_MS;
