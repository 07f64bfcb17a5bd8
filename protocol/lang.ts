/** The operator's language: every reply, alert, read-back and refusal is whole sentences in one of these. */
export type Lang = "ru" | "en";
