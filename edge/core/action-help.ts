/** The list of what voxops can do, taken from the action definitions: one line an action, in the operator's language. */
import { actionList, type Lang } from "../../protocol/actions/catalog.ts";

/** "• restart a service and verify it came up (asks first)": the operator's actions (not the internal ones). */
export function actionHelpLines(lang: Lang): string[] {
  return actionList
    .filter((d) => d.llm !== "never")
    .map((d) => {
      const asks = d.confirm ? (lang === "ru" ? " (спрошу подтверждение)" : " (I ask first)") : "";
      return `• ${lang === "ru" ? d.summary.ru : d.summary.en}${asks}`;
    });
}
