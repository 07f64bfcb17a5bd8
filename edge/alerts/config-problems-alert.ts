/** The admins' alert about wrong settings: each problem as a sentence in the admins' language. */

/** The problems, one sentence each, in both languages (same order). */
export interface ConfigProblemLists {
  readonly en: readonly string[];
  readonly ru: readonly string[];
}

/** The alert's text in both languages. */
export function configProblemsAlert(lists: ConfigProblemLists): { ru: string; en: string } {
  const list = lists.en.map((p) => `• ${p}`).join("\n");
  const listRu = lists.ru.map((p) => `• ${p}`).join("\n");
  return {
    ru: `⚠️ voxops запущен, но часть настроек неверна; зависящее от них выключено, остальное работает:\n${listRu}\nИсправьте настройки и перезапустите (на Workers: wrangler secret put / wrangler deploy).`,
    en: `⚠️ voxops is running, but some settings are wrong; what depends on them is off, the rest works:\n${list}\nFix the settings and restart (on Workers: wrangler secret put / wrangler deploy).`,
  };
}
