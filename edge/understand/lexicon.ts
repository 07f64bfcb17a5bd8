/**
 * The words of the command language, Russian and English, grouped into classes. An entry is a
 * word ("status"), a stem with case endings ("лог~": лог, логи, логов… but not "логирование"), a
 * prefix ("перезапус*": перезапусти, перезапустить, перезапускай) or a phrase of such words.
 */

/** A class of words that mean the same thing to the rules. */
export type WordClass =
  | "restart"
  | "start"
  | "reboot"
  | "fix"
  | "deploy"
  | "backup"
  | "configNoun"
  | "setVerb"
  | "param"
  | "codeVerb"
  | "codeNoun"
  | "newWord"
  | "latest"
  | "errors"
  | "logs"
  | "filesNoun"
  | "search"
  | "report"
  | "lines"
  | "memory"
  | "disk"
  | "cpu"
  | "metrics"
  | "status"
  | "look"
  | "state"
  | "help"
  | "machine"
  | "serviceNoun"
  | "both"
  | "every"
  | "neg"
  | "negHard"
  | "question"
  | "locative"
  | "otherAction"
  | "condition"
  | "correction"
  | "with"
  | "known";

/** Entries of one class, written "a|b|c" to keep the lists short. */
function list(entries: string): readonly string[] {
  return entries.split("|");
}

/** Word entries per class. */
export const lexicon: Record<WordClass, readonly string[]> = {
  restart: list("перезапус*|рестарт*|перестарт*|restart*|re start|bounce*|kick|kicks|respawn*|cycle"),
  start: list("запусти|запустить|запустите|запускай|подними|поднять|start|launch|bring up"),
  reboot: list("перезагруз*|перезагруж*|перегрузи|перегрузить|ребут*|reboot*|re boot|power cycle|hard reset"),
  fix: list(
    "исправ*|почин*|чини|чинить|пофикс*|фиксани|разберис*|разберит*|разобрат*|налад*|вылеч*|реанимир*|fix|fixes|fixing|repair*|heal|troubleshoot*|sort out|sort it out|sort that out|resolve",
  ),
  deploy: list(
    "деплой*|задеплой*|передеплой*|деплои*|задеплои*|передеплои*|push|pushes|выкат*|раскат*|накат*|deploy*|redeploy*|ship|ships|roll out|rollout|release",
  ),
  backup: list(
    "бэкап*|бекап*|забэкап*|забекап*|резервн* копи*|сохрани копи*|сделай копи*|снапшот*|snapshot*|backup*|back up|backed up",
  ),
  configNoun: list(
    "конфиг~|конфигурац*|конфа|конф|настройк~|настроек|параметр~|config*|configuration*|conf|setting|settings",
  ),
  setVerb: list(
    "подними|поднять|подтяни|повысь|повысить|понизь|понизить|прибавь|убавь|поменя*|измени|изменить|увелич*|уменьш*|поставь|выстав*|установи|установить|включи|включить|выключи|выключить|отключи|отключить|обнови|обновить|смени|сменить|задай|пропиши|поправь|правь|отредактир*|set|change|increase|decrease|raise|lower|bump|enable|disable|tweak|adjust|update|modify|edit|turn on|turn off",
  ),
  param: list(
    "таймаут~|timeout*|лимит~|limit*|размер~|size|порт~|port|значени~|value|буфер~|buffer*|gzip|keepalive|ttl|max|min|максимальн~|соединени~|connections",
  ),
  codeVerb: list(
    "логируй|логируйте|залогируй|добав*|созда*|сделай|сделать|напиш*|написа*|допиш*|перепиш*|реализ*|запили|внедр*|сгенерир*|рефактор*|add|create|make|write|implement*|refactor*|generate",
  ),
  codeNoun: list(
    "скрипт~|script*|эндпоинт~|эндпойнт~|ендпоинт~|endpoint*|ручк~|роут~|route*|функци~|function*|метод~|method*|модул~|module*|фич~|feature*|логировани~|logging|хендлер~|handler*|обработчик~|код~|code|программ~|program|тест~|tests|cron|крон~|миграци~|migration*|вебхук~|webhook*|healthcheck|таймер~|timer|timers|cronjob*",
  ),
  newWord: list("нов~|new"),
  latest: list("последн~|свеж~|latest|newest|верси~|version*"),
  errors: list(
    "ошибк~|ошибок|эррор~|сбо~|сбоев|исключени~|падени~|падал*|падает|падают|упал*|упад*|крэш*|краш*|сломал*|сломан~|проблем~|error*|crash*|fail*|exception*|panic*|broke|broken|problem*|warning*|went down",
  ),
  filesNoun: list(
    "файл~|файлик~|папк~|директори~|каталог~|исходник~|files|file|folder|folders|directory|directories|sources",
  ),
  // Looking for a text in a service's files ("найди TODO в коде admin-api", "grep timeout in api").
  search: list("найди|найти|поищи|поискать|ищи|искать|search|grep|find|look for"),
  // Someone else's words: a command quoted or relayed ("вася сказал перезапусти", "the ticket says deploy").
  report: list(
    "сказал|сказала|сказали|говорит|говорят|говорил*|пишут|пишет|просит|просят|просил*|попросил*|велел*|хочет|хотят|требует|требуют|предлагает|предложил*|советует|said|says|told|tells|wrote|writes|asked|asks|wants|wanted|suggested|suggests|mentioned|according",
  ),
  logs: list("лог~|printed|журнал~|хвост~|log|logs|tail|journal*|syslog|stdout|stderr|output"),
  lines: list("строк~|строчк~|строчек|line|lines|записей|entries"),
  memory: list("памят~|оперативк~|оператив~|озу|ram|memory|mem|swap|своп~"),
  disk: list("диск~|место|места|месте|хранилищ~|disk*|space|storage|df"),
  cpu: list("процессор~|проц~|цпу|cpu*|load|loaded|нагрузк~|загрузк~|загружен~|нагружен~"),
  metrics: list(
    "ресурс~|resource*|метрик~|metric*|usage|utilization|utilisation|потреблени~|статистик~|stats",
  ),
  status: list(
    "статус~|status*|state|состояни~|health|healthy|report|отчет~|сводк~|здоровь~|uptime|аптайм~|overview",
  ),
  look: list(
    "провер*|check*|как там|как дела|как поживает|как себя чувствует|как чувствует себя|how is it doing|how does it feel|что с|что там|что у нас с|что у нас со|что у тебя с|whats up|how is|hows|how are|going on|расскажи про|tell me about|глянь|посмотри|look at",
  ),
  state: list(
    "работает|работают|работало|живо|жив|живы|живой|живые|живая|живое|жива|живучий|отвечает|отвечают|доступн~|доступен|запущен~|поднят~|alive|running|up|online|онлайн|responding|working|в порядке|все ок|все хорошо|все нормально|everything ok|everything okay|everything fine|all good",
  ),
  help: list(
    "помощь|помощи|помоги|справк~|хелп|help|что ты умеешь|что умеешь|что ты можешь|что можешь|what can you do|what do you do|what can i ask|how do i use|how to use|как пользоваться|как тобой пользоваться|commands|команды",
  ),
  machine: list(
    "машин~|тачк~|сервер~|серв|виртуалк~|вм|инстанс~|нод~|хост~|server*|machine*|vm|vms|box|boxes|instance*|node|nodes|host|hosts",
  ),
  serviceNoun: list(
    "сервис~|микросервис~|microservice*|service*|служб~|юнит~|unit|units|демон~|daemon*|приложени~|app|apps|application*",
  ),
  both: list("обе|обеих|обоих|оба|both|везде|всюду|everywhere"),
  every: list("все|всех|всем|всеми|всю|all|every|everything|each|каждой|каждую"),
  neg: list("не|not"),
  negHard: list(
    "никаких|никакого|никакой|no more|не надо|не нужно|не стоит|не смей|не вздумай|не трогай|ни в коем|никогда|нельзя|отмена|отмени|отменить|отставить|dont|do not|never|no need|cancel|abort|hold off",
  ),
  question: list(
    "почему|зачем|если|когда|что будет|что случится|стоит ли|нужно ли|надо ли|можно ли|безопасно ли|как часто|как долго|сколько времени|сколько длится|сколько займет|умеешь|умеет|умеете|в случае|why|if|when|what happens|what would|should i|should we|whether|how long|how often|how do i|how do you|how to|how can i|is it safe|is it ok|is it okay|is it possible|is it worth|can i|could i|may i|able to|in case",
  ),
  // Actions the agent has no command for: said of a target they never mean status or logs.
  otherAction: list(
    "удали*|удалить|почисти*|очисти*|подчисти*|останов*|остановить|стопни|убей|убить|прибей|откат*|откати|перенес*|перенеси|переимен*|смигрир*|stop|stops|kill|delete|remove|clear|clean|wipe|purge|shut down|shutdown|roll back|rollback|revert|downgrade|move|migrate|rename|scale|reload|перечитай|перечитать",
  ),
  // Words that make a command depend on something else: it must not run as if said alone.
  condition: list(
    "unless|after|before|then|once|until|otherwise|сначала|потом|после|перед|затем|пока|иначе|если|в случае|как только|when|if|in case|as soon as|whichever|либо|завтра|послезавтра|позже|попозже|через|tomorrow|tonight|later|maybe|perhaps|может|может быть|возможно|наверное|думаю|i think|or not|или нет",
  ),
  // Self-corrections: the operator changed their mind halfway through.
  correction: list(
    "хотя нет|нет стоп|нет погоди|no wait|wait|i mean|вернее|точнее|то есть|or rather|погоди|подожди|стоп|нет|no",
  ),
  // A preposition that attaches something to a command ("restart with more memory").
  with: list("с|со|with|using"),
  locative: list("на|в|во|на|from|on|in|at"),
  // Words that carry no meaning of their own for the rules; a sentence of only these and
  // targets is a question about the targets, a sentence with other words may be out of scope.
  known: list(
    "пожалуйста|плиз|ну|а|и|или|вот|так|давай|ка|слушай|эй|окей|ок|ладно|сейчас|быстро|можешь|можно|мне|нам|там|тут|здесь|это|этот|эту|его|ее|их|есть|ли|же|то|что|чтото|нибудь|как|какая|какой|какое|какие|сколько|где|с|со|по|к|ко|у|о|об|от|до|из|за|для|про|покажи|показать|выведи|дай|скинь|пришли|открой|свободн~|занят~|использовани~|осталось|остал*|номер|please|pls|hey|ok|okay|just|now|quickly|can|could|would|you|me|us|the|a|an|of|to|for|with|and|or|is|are|was|were|be|been|any|anything|some|something|there|it|its|this|that|these|those|what|whats|which|how|much|many|left|free|used|show|give|list|display|print|get|see|view|tell|my|our|your|did|does|do|has|have|go|going|doing|today|currently|current|right|whatever|number|again|сохрани|сохранить|save|store|снова|опять|срочно|скорее|прод|продакшн|продакшен|production|prod|побыстрее|urgently|asap|обратно|чо|quick|short|brief|краткий|краткую|быстрый",
  ),
};

/** Idioms whose words would otherwise be read as targets ("в первую очередь" is not the first VM). */
export const idioms: readonly (readonly string[])[] = [
  ["в", "первую", "очередь"],
  ["во", "первых"],
  ["first", "of", "all"],
  ["at", "first"],
  ["wait", "a", "second"],
  ["one", "second"],
  ["a", "second"],
  ["for", "a", "second"],
];
