/** The buttons a finding offers the operator: catalog actions with their arguments, or the LLM's diagnosis. */

/** A button the operator may press: a catalog action with its arguments, or "diagnose" (the LLM). */
export interface Suggestion {
  readonly action: "logs" | "restart" | "diagnose" | "fix";
  readonly args: Record<string, unknown>;
  readonly label: string;
}

/** The buttons every report offers: show logs, restart, diagnose with AI. */
export function suggestionsFor(service: string): Suggestion[] {
  return [
    { action: "logs", args: { service, lines: 50 }, label: "show logs" },
    { action: "restart", args: { service }, label: "restart" },
    { action: "diagnose", args: { service }, label: "diagnose with AI" },
  ];
}
