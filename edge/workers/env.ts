/** The Worker's bindings and secrets. */
export interface Env {
  readonly FLEET: DurableObjectNamespace;
  readonly VOXOPS_API_TOKENS?: string;
  readonly VOXOPS_SIDECAR_KEYS?: string;
  readonly VOXOPS_INVENTORY?: string;
  readonly VOXOPS_HEARTBEAT_S?: string;
  /** The Workers AI binding, when configured (LLM, speech). */
  readonly AI?: unknown;
}
