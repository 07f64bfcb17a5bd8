/** Who asks for an action, and with which rights. */

/** viewer reads; operator also changes; admin also runs destructive actions. */
export type Role = "viewer" | "operator" | "admin";

/** Where a request came from. */
export type ActorKind = "telegram" | "api" | "mcp" | "cli" | "auto" | "watchdog";

/** The requester of an action, as recorded in the audit. */
export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
  readonly role: Role;
  readonly name?: string;
}

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` is at least `needed`. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}

/** Parses a role name. */
export function parseRole(text: string): Role | undefined {
  return text === "viewer" || text === "operator" || text === "admin" ? text : undefined;
}
