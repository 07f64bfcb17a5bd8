/**
 * Verb forms that report instead of command: a past tense ("перезагружал", "задеплоил", "restarted"),
 * a third person or first person singular present ("перезапускает", "перезапускаю", "ты чинишь"), or
 * an English "-ing" form ("rebooting"). Only an imperative, an infinitive or a noun asks for an action;
 * the first person plural ("перезапускаем") stays a command, as Russians say "let's".
 */

/** True when a command word is in a form that tells what happened or happens, not what to do. */
export function isReportingForm(word: string): boolean {
  if (/^[а-я]+$/.test(word)) {
    // Nouns end like short present forms ("ребут", "рестарт"): the present is read only on longer words.
    if (word.length >= 5 && /(л|ла|ло|ли)$/.test(word)) return true;
    return word.length >= 7 && /(ет|ит|ют|ят|ут|ешь|ишь|аю|яю)$/.test(word);
  }
  if (/^[a-z]+$/.test(word)) return word.length >= 6 && /(ed|ing)$/.test(word);
  return false;
}
