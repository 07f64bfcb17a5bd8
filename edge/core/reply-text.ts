/** Short, phone-sized texts for command outcomes, in Russian or English. */

import { parseFixEventData } from "../../protocol/fix-events.ts";
import { shownText } from "../../protocol/shown-text.ts";
import { codeOutcomeText } from "./code-outcome-text.ts";
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";
import { t } from "./desk-texts.ts";
import { failureHead } from "./failure-text.ts";
import { failedText, repairedText, reportedText } from "./fix-text.ts";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
const gib = (b: unknown): string => (typeof b === "number" ? (b / 1024 ** 3).toFixed(1) : "?");
const secs = (ms: unknown): string => (typeof ms === "number" ? (ms / 1000).toFixed(1) : "?");

const MAX_TEXT = 3500;

/** Keeps a reply under Telegram's message size with a marker. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 2)}\n…`;
}

function figuresLine(f: Obj, lang: Lang): string {
  const mem = obj(f["memory"]);
  const disk = obj(f["disk"]);
  const load = arr(f["load"]).map((n) => (typeof n === "number" ? n.toFixed(2) : "?"));
  const used =
    typeof mem["totalB"] === "number" && typeof mem["availableB"] === "number"
      ? mem["totalB"] - mem["availableB"]
      : undefined;
  const diskUsed =
    typeof disk["totalB"] === "number" && typeof disk["freeB"] === "number"
      ? disk["totalB"] - disk["freeB"]
      : undefined;
  return lang === "ru"
    ? `нагрузка ${load.join(" ")} · память ${gib(used)}/${gib(mem["totalB"])} ГиБ · диск ${gib(diskUsed)}/${gib(disk["totalB"])} ГиБ`
    : `load ${load.join(" ")} · memory ${gib(used)}/${gib(mem["totalB"])} GiB · disk ${gib(diskUsed)}/${gib(disk["totalB"])} GiB`;
}

function statusText(vm: string, out: Obj, lang: Lang): string {
  const lines = [`🖥 ${vm}: ${figuresLine(obj(out["figures"]), lang)}`];
  for (const s of arr(out["services"]).map(obj)) {
    const state = str(s["state"]);
    const icon = state === "active" ? "✅" : state === "failed" ? "❌" : "⚠️";
    const mem = typeof s["memoryB"] === "number" ? ` · ${(s["memoryB"] / 1024 ** 2).toFixed(0)} MB` : "";
    lines.push(`${icon} ${str(s["name"])}: ${state}${mem}`);
  }
  return lines.join("\n");
}

function metricsText(vm: string, out: Obj, lang: Lang): string {
  const lines = [`📊 ${vm}`];
  const mem = obj(out["memory"]);
  const swap = obj(out["swap"] ?? mem["swap"]);
  const unit = t(lang, "ГиБ", "GiB");
  if (Object.keys(mem).length > 0) {
    lines.push(
      `${t(lang, "память", "memory")}: ${gib(mem["usedB"] ?? Number(mem["totalB"]) - Number(mem["availableB"]))}/${gib(mem["totalB"])} ${unit}` +
        (swap["totalB"]
          ? ` · ${t(lang, "своп", "swap")} ${gib(swap["usedB"])}/${gib(swap["totalB"])} ${unit}`
          : ""),
    );
  }
  for (const d of arr(out["disks"]).map(obj))
    lines.push(
      `${t(lang, "диск", "disk")} ${str(d["mount"] ?? d["path"])}: ${gib(Number(d["totalB"]) - Number(d["freeB"]))}/${gib(d["totalB"])} ${unit}`,
    );
  const load = arr(obj(out["cpu"])["load"] ?? out["load"]);
  if (load.length > 0)
    lines.push(`${lang === "ru" ? "нагрузка" : "load"}: ${load.map((n) => Number(n).toFixed(2)).join(" ")}`);
  const top = arr(out["topProcesses"] ?? out["top"])
    .map(obj)
    .slice(0, 5);
  if (top.length > 0) lines.push(lang === "ru" ? "больше всего памяти:" : "most memory:");
  for (const p of top)
    lines.push(
      `  ${str(p["command"] || p["name"])}${typeof p["pid"] === "number" ? ` (pid ${p["pid"]})` : ""} ${((Number(p["rssB"]) || 0) / 1024 ** 2).toFixed(0)} ${lang === "ru" ? "МБ" : "MB"}`,
    );
  if (lines.length === 1) lines.push(figuresLine(obj(out["figures"]), lang));
  return lines.join("\n");
}

function errorsText(vm: string, out: Obj, lang: Lang): string {
  const minutes = Math.round((Date.now() - Date.parse(str(out["since"]))) / 60_000);
  const span = Number.isFinite(minutes) && minutes > 0 ? minutes : 60;
  if (out["clean"] === true)
    return lang === "ru"
      ? `${vm}: за последние ${span} мин ошибок нет, упавших юнитов нет.`
      : `${vm}: no errors and no failed units in the last ${span} minutes.`;
  const failed = arr(out["failedUnits"]).map((u) => shownText(str(u), 80));
  const lines = [
    lang === "ru"
      ? `⚠️ ${vm}: ${str(out["errorLines"])} ошибок за последние ${span} мин${failed.length > 0 ? `; упали: ${failed.join(", ")}` : ""}.`
      : `⚠️ ${vm}: ${str(out["errorLines"])} errors in the last ${span} minutes${failed.length > 0 ? `; failed units: ${failed.join(", ")}` : ""}.`,
  ];
  // Each group is one kind of error: a traceback counts under its exception line, with how often it came.
  for (const g of arr(out["groups"]).map(obj).slice(0, 6))
    lines.push(
      `×${str(g["count"])} ${shownText(str(g["unit"] ?? g["service"]), 60)}: ${shownText(str(g["sample"] ?? g["pattern"]), 200)}`,
    );
  lines.push(
    lang === "ru"
      ? "Скажите «исправь <сервис>», чтобы попробовать известные исправления, или попросите логи."
      : "Say “fix <service>” to try the known repairs, or ask for its logs.",
  );
  return lines.join("\n");
}

/** One service's `fix` result in words. */
function fixResultText(vm: string, r: Obj, lang: Lang): string {
  const report = obj(r["report"]);
  const d = parseFixEventData({
    service: r["service"],
    finding: r["finding"],
    plan: r["plan"],
    steps: report["steps"],
    reason: report["reason"],
    recurred: report["recurred"],
  });
  const service = d.service ?? "?";
  const where = lang === "ru" ? `${service} на ${vm}` : `${service} on ${vm}`;
  const rule = d.finding?.rule ?? undefined;
  switch (str(r["outcome"])) {
    case "repaired":
      return repairedText(where, rule, d.finding, d.steps ?? [], d.plan, lang);
    case "failed":
      return failedText(where, rule, d.finding, d.steps ?? [], d.plan, d.reason, d.recurred, lang);
    case "reported":
      return reportedText(where, rule, d.finding, d.plan, lang);
    default:
      return lang === "ru"
        ? `${where}: с последнего запуска ошибок в журнале нет, исправлять нечего.`
        : `${where}: no errors in its journal since it last started; nothing to fix.`;
  }
}

function fixText(vm: string, out: Obj, lang: Lang): string {
  const results = arr(out["results"]).map(obj);
  if (results.length === 0)
    return lang === "ru"
      ? `${vm}: на этой VM нет сервисов для проверки.`
      : `${vm}: this VM has no services to check.`;
  return results.map((r) => fixResultText(vm, r, lang)).join("\n\n");
}

function restoreText(vm: string, out: Obj, lang: Lang): string {
  const path = shownText(str(out["path"]), 200);
  const commit = str(out["commit"]).slice(0, 8);
  const replaced = out["replacedExisting"] === true;
  return lang === "ru"
    ? `♻️ ${vm}: ${path} восстановлен из бэкапа (коммит ${commit}, ${str(out["bytes"])} байт)${replaced ? "; прежний файл заменён" : ""}. Перезапустите сервис, если он читает этот файл при старте.`
    : `♻️ ${vm}: ${path} is restored from the backup (commit ${commit}, ${str(out["bytes"])} bytes)${replaced ? "; it replaced the file that was there" : ""}. Restart the service if it reads this file at start.`;
}

function backupText(vm: string, out: Obj, lang: Lang): string {
  const commit = str(out["commit"]).slice(0, 8);
  const files = typeof out["files"] === "number" ? out["files"] : undefined;
  const skipped = arr(out["skipped"]).map(obj);
  const lines = [
    out["changed"] === true
      ? t(
          lang,
          `💾 ${vm}: бэкап сохранён, коммит ${commit}${files === undefined ? "" : ` (файлов: ${files})`}.`,
          `💾 ${vm}: backed up as commit ${commit}${files === undefined ? "" : ` (${files} files)`}.`,
        )
      : t(
          lang,
          `💾 ${vm}: изменений с прошлого бэкапа нет, последний коммит ${commit || "—"}.`,
          `💾 ${vm}: nothing changed since the last backup; the latest commit is ${commit || "none"}.`,
        ),
  ];
  if (skipped.length > 0)
    lines.push(
      t(
        lang,
        "Не сохранены (ссылки, слишком большие или с секретами): ",
        "Not saved (links, too large, or holding secrets): ",
      ) +
        skipped
          .slice(0, 5)
          .map((k) => str(k["path"]))
          .join(", ") +
        (skipped.length > 5 ? ` … (${skipped.length})` : ""),
    );
  return lines.join("\n");
}

/** How a service was found after a change: active and healthy, or what was wrong. */
function verifiedText(v: Obj, lang: Lang): string {
  if (Object.keys(v).length === 0) return "";
  const health = obj(v["health"]);
  const healthText =
    typeof health["status"] === "number"
      ? t(lang, `, health ${health["status"]}`, `, health ${health["status"]}`)
      : "";
  return v["ok"] === true
    ? t(
        lang,
        ` Сервис работает (${str(v["state"])}${healthText}).`,
        ` The service runs (${str(v["state"])}${healthText}).`,
      )
    : t(
        lang,
        ` ⚠️ Проверка после изменения не прошла: ${str(v["state"])}${healthText}${v["reason"] ? ` — ${str(v["reason"])}` : ""}.`,
        ` ⚠️ The check after the change failed: ${str(v["state"])}${healthText}${v["reason"] ? ` — ${str(v["reason"])}` : ""}.`,
      );
}

function deployText(vm: string, out: Obj, lang: Lang): string {
  const service = str(out["service"]);
  const from = str(out["previous"]).slice(0, 8);
  const to = str(out["target"]).slice(0, 8);
  if (out["changed"] !== true)
    return t(
      lang,
      `🚀 ${service} на ${vm} уже на коммите ${to}: деплоить нечего.`,
      `🚀 ${service} on ${vm} is already at commit ${to}: nothing to deploy.`,
    );
  return (
    t(
      lang,
      `🚀 ${service} на ${vm}: ${from} → ${to} за ${secs(out["durationMs"])} с.`,
      `🚀 ${service} on ${vm}: ${from} → ${to} in ${secs(out["durationMs"])} s.`,
    ) + verifiedText(obj(out["verified"]), lang)
  );
}

function configText(vm: string, out: Obj, lang: Lang): string {
  const file = str(out["file"]);
  if (out["changed"] !== true)
    return t(
      lang,
      `📝 ${vm}: ${file} уже такой, ничего не менял.`,
      `📝 ${vm}: ${file} already says that; nothing changed.`,
    );
  const applied = str(out["applied"]);
  const how =
    applied === "reload"
      ? t(lang, "перечитан сервисом", "reloaded")
      : applied === "restart"
        ? t(lang, "сервис перезапущен", "service restarted")
        : t(lang, "без перезапуска", "not applied to the service");
  return (
    t(lang, `📝 ${vm}: ${file} обновлён (${how}).`, `📝 ${vm}: ${file} updated (${how}).`) +
    verifiedText(obj(out["verified"]), lang) +
    (out["previousKept"]
      ? t(
          lang,
          ` Прежняя версия: ${str(out["previousKept"])}.`,
          ` The previous version is kept as ${str(out["previousKept"])}.`,
        )
      : "")
  );
}

/** Text for one VM's outcome of an action. */
export function outcomeText(o: CommandOutcome, lang: Lang): string {
  const out = obj(o.output);
  if (o.action === "code-apply" || o.action === "code-revert") return codeOutcomeText(o, lang);
  if (!o.ok && o.action === "fix" && obj(obj(o.error)["details"])["outcome"] === "failed")
    return fixResultText(o.vm, obj(obj(o.error)["details"]), lang);
  if (!o.ok) {
    const details = obj(obj(o.error)["details"] ?? out["details"]);
    const tail = arr(details["lastLines"] ?? details["logs"])
      .map(str)
      .slice(-5);
    // Cut off (the sidecar died while it ran): it may well have finished, so it is not called a failure.
    const interrupted = o.error?.code === "interrupted";
    const now = obj(out["stateNow"]);
    const stateNow =
      typeof now["state"] === "string"
        ? lang === "ru"
          ? `Сейчас ${str(now["name"])} на ${o.vm}: ${str(now["state"])}${now["since"] ? ` с ${str(now["since"])}` : ""}.`
          : `${str(now["name"])} on ${o.vm} is ${str(now["state"])} now${now["since"] ? ` (since ${str(now["since"])})` : ""}.`
        : undefined;
    const head = interrupted
      ? lang === "ru"
        ? `⚠️ ${o.vm}: ${o.action} прерван — сайдкар перезапустился во время выполнения, повторно не запускался. ${stateNow ?? `Проверьте состояние: «статус ${o.vm}».`}`
        : `⚠️ ${o.vm}: ${o.action} was interrupted — the sidecar restarted while it ran and did not run it again. ${stateNow ?? `Check the state now with "status ${o.vm}".`}`
      : failureHead(o, lang);
    return tail.length > 0 ? `${head}\n${tail.join("\n")}` : head;
  }
  switch (o.action) {
    case "status":
      return statusText(o.vm, out, lang);
    case "metrics":
      return metricsText(o.vm, out, lang);
    case "errors":
      return errorsText(o.vm, out, lang);
    case "fix":
      return fixText(o.vm, out, lang);
    case "restore":
      return restoreText(o.vm, out, lang);
    case "logs": {
      const lines = arr(out["lines"]).map(str);
      const service = str(out["service"]);
      return lines.length > 0
        ? `📜 ${o.vm} ${service}\n${lines.join("\n")}`
        : t(
            lang,
            `📜 ${o.vm}: в журнале ${service} нет ни одной строки (сервис ещё ничего не писал или журнал очищен).`,
            `📜 ${o.vm}: the journal has no lines for ${service} (the service has written nothing yet, or the journal was cleared).`,
          );
    }
    case "deploy":
      return deployText(o.vm, out, lang);
    case "config":
      return configText(o.vm, out, lang);
    case "probe":
      return out["reached"] === true
        ? t(lang, `✅ ${o.vm}: соседняя VM отвечает.`, `✅ ${o.vm}: the peer VM answers.`)
        : t(
            lang,
            `⚠️ ${o.vm}: соседняя VM не ответила${out["detail"] ? ` (${str(out["detail"])})` : ""}.`,
            `⚠️ ${o.vm}: the peer VM did not answer${out["detail"] ? ` (${str(out["detail"])})` : ""}.`,
          );
    case "restart":
      return lang === "ru"
        ? `✅ ${str(out["service"])} на ${o.vm} активен (${secs(out["durationMs"])} с)`
        : `✅ ${str(out["service"])} is active on ${o.vm} (${secs(out["durationMs"])} s)`;
    case "backup":
      return out["ok"] === false ? `⚠️ ${o.vm}: ${str(out["error"])}` : backupText(o.vm, out, lang);
    case "reboot":
      return lang === "ru" ? `🔄 ${o.vm} перезагружается` : `🔄 ${o.vm} is rebooting`;
    default:
      return `✅ ${o.vm}: ${o.action} — ${clip(JSON.stringify(o.output ?? {}), 600)}`;
  }
}
