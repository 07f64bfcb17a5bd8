/** Picking the operator's language for a text written in both. */
export { say as t } from "../../protocol/action-definition.ts";
