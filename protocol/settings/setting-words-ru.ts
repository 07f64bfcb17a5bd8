/**
 * The Russian words of a setting problem: the form a value takes, the features it turns off and what
 * happens instead, for the Russian admins' alert and the Worker's answer. The declarations stay in
 * English (they also write the README); their forms are translated here by shape, and the few forms
 * and consequences written by hand are listed whole, so a new one without Russian is caught by the
 * settings' test (setting-words-ru.test.ts).
 */

/** The features as Russian sentences name them. */
export const featureWordsRu: Readonly<Record<string, string>> = {
  core: "контроллер",
  telegram: "Telegram-бот",
  llm: "языковая модель",
  speech: "речь (голосовые сообщения и ответы голосом)",
  watchdog: "сторож (watchdog)",
  oracle: "сброс через Oracle Cloud",
  lease: "аренда права на сброс (fencing lease)",
  confirmations: "подтверждения",
  reboot: "перезагрузка нескольких VM",
  "autofix-approval": "одобрение автопочинки",
  autofix: "автопочинка",
  peer: "проверка соседней VM",
  backup: "резервное копирование по расписанию",
  link: "связь с контроллерами",
  "local-run": "локальный запуск",
  mirror: "зеркало",
  cli: "командная строка",
  actions: "действия сайдкара",
};

/** Forms written by hand in the declarations, whole. */
const handForms: Readonly<Record<string, string>> = {
  "a bot token as @BotFather gives it, like 123456789:AAE… (digits, a colon, then letters, digits, _ and -)":
    "токен бота, как его выдаёт @BotFather, вида 123456789:AAE… (цифры, двоеточие, затем буквы, цифры, _ и -)",
  "16 to 256 characters of A-Z, a-z, 0-9, _ and -": "от 16 до 256 символов из A-Z, a-z, 0-9, _ и -",
  "user-id:role pairs such as 123456789:admin,987654321:viewer":
    "пары «id-пользователя:роль», например 123456789:admin,987654321:viewer",
  "Telegram user ids separated by commas": "id пользователей Telegram через запятую",
  "language codes separated by commas": "коды языков через запятую",
  "a tenancy OCID (ocid1.tenancy.…)": "OCID арендатора (ocid1.tenancy.…)",
  "a user OCID (ocid1.user.…)": "OCID пользователя (ocid1.user.…)",
  "the key fingerprint, 16 hex pairs joined by ':'": "отпечаток ключа: 16 шестнадцатеричных пар через «:»",
  "a PEM private key (-----BEGIN PRIVATE KEY-----)": "закрытый ключ PEM (-----BEGIN PRIVATE KEY-----)",
  "a region id such as eu-frankfurt-1": "id региона, например eu-frankfurt-1",
  "this VM's key, 16 characters or more": "ключ этой VM, 16 символов или больше",
  "URLs separated by commas": "адреса URL через запятую",
  "a VM name: lowercase letters, digits and dashes": "имя VM: строчные латинские буквы, цифры и дефисы",
  "rule:on or rule:off pairs separated by commas": "пары «правило:on» или «правило:off» через запятую",
  "vm=URL pairs separated by commas": "пары «vm=URL» через запятую",
  "an address and a port, like 10.0.0.1:8790": "адрес и порт, например 10.0.0.1:8790",
  "an http(s) URL": "адрес http(s)",
  "1 or 0 (or true/false, on/off)": "1 или 0 (или true/false, on/off)",
  text: "текст",
};

/** What happens when a value is wrong, when it is not "the features are off". */
const consequencesRu: Readonly<Record<string, string>> = {
  "confirmations stay valid 60 s": "подтверждения действуют 60 с",
  "the admins are asked before each repair": "перед каждой починкой спрашивают администраторов",
  "the sidecar cannot start": "сайдкар не может запуститься",
  "auto-fix stays on": "автопочинка остаётся включённой",
  "every rule stays on": "все правила остаются включёнными",
  "the controller cannot start": "контроллер не может запуститься",
};

const unitsRu: Readonly<Record<string, string>> = {
  seconds: "секунд",
  milliseconds: "миллисекунд",
  hours: "часов",
  minutes: "минут",
  days: "дней",
};

const unitRu = (unit: string): string | undefined => unitsRu[unit];

/** The Russian of a declaration's form ("a whole number from 1 to 10" → "целое число от 1 до 10"), or undefined. */
export function formRu(expected: string): string | undefined {
  const hand = handForms[expected];
  if (hand) return hand;
  let m = /^a whole number from (-?\d+) to (-?\d+)$/.exec(expected);
  if (m) return `целое число от ${m[1]} до ${m[2]}`;
  m = /^a whole number of (\w+) from (-?\d+) to (-?\d+)$/.exec(expected);
  if (m?.[1] && unitRu(m[1])) return `целое число ${unitRu(m[1])} от ${m[2]} до ${m[3]}`;
  m = /^a positive number of (\w+)$/.exec(expected);
  if (m?.[1] && unitRu(m[1])) return `положительное число ${unitRu(m[1])}`;
  m = /^a number of (\w+), 0 or more$/.exec(expected);
  if (m?.[1] && unitRu(m[1])) return `число ${unitRu(m[1])}, 0 или больше`;
  m = /^one of (.+)$/.exec(expected);
  if (m?.[1]) {
    // The values are words of the setting itself (none, anthropic, …): each is quoted, as the operator types it.
    const values = m[1].split(/, | or /).map((v) => `«${v.trim()}»`);
    return `одно из: ${values.length > 1 ? `${values.slice(0, -1).join(", ")} или ${values.at(-1)}` : values[0]}`;
  }
  return undefined;
}

/** The Russian of a declaration's consequence, or undefined. */
export function consequenceRu(ifWrong: string): string | undefined {
  return consequencesRu[ifWrong];
}
