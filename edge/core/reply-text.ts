/** Short, phone-sized texts for command outcomes, in Russian or English. */
import type { CommandOutcome } from "./controller.ts";
import type { Lang } from "./desk.ts";

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
  if (Object.keys(mem).length > 0) {
    lines.push(
      `${lang === "ru" ? "память" : "memory"}: ${gib(mem["usedB"] ?? Number(mem["totalB"]) - Number(mem["availableB"]))}/${gib(mem["totalB"])} GiB` +
        (obj(mem["swap"])["totalB"]
          ? ` · swap ${gib(obj(mem["swap"])["usedB"])}/${gib(obj(mem["swap"])["totalB"])} GiB`
          : ""),
    );
  }
  for (const d of arr(out["disks"]).map(obj))
    lines.push(
      `${lang === "ru" ? "диск" : "disk"} ${str(d["mount"])}: ${gib(Number(d["totalB"]) - Number(d["freeB"]))}/${gib(d["totalB"])} GiB`,
    );
  const load = arr(obj(out["cpu"])["load"] ?? out["load"]);
  if (load.length > 0)
    lines.push(`${lang === "ru" ? "нагрузка" : "load"}: ${load.map((n) => Number(n).toFixed(2)).join(" ")}`);
  const top = arr(out["topProcesses"] ?? out["top"])
    .map(obj)
    .slice(0, 5);
  for (const p of top)
    lines.push(`  ${str(p["name"] ?? p["command"])} ${((Number(p["rssB"]) || 0) / 1024 ** 2).toFixed(0)} MB`);
  if (lines.length === 1) lines.push(figuresLine(obj(out["figures"]), lang));
  return lines.join("\n");
}

function errorsText(vm: string, out: Obj, lang: Lang): string {
  if (out["clean"] === true) return lang === "ru" ? `✅ ${vm}: ошибок нет` : `✅ ${vm}: no errors`;
  const lines = [
    lang === "ru"
      ? `⚠️ ${vm}: ${str(out["errorLines"])} строк с ошибками`
      : `⚠️ ${vm}: ${str(out["errorLines"])} error lines`,
  ];
  const failed = arr(out["failedUnits"]).map(str);
  if (failed.length > 0) lines.push(`${lang === "ru" ? "упали" : "failed"}: ${failed.join(", ")}`);
  for (const g of arr(out["groups"]).map(obj).slice(0, 6))
    lines.push(
      `×${str(g["count"])} ${str(g["unit"] ?? g["service"])}: ${str(g["sample"] ?? g["pattern"]).slice(0, 160)}`,
    );
  return lines.join("\n");
}

/** Text for one VM's outcome of an action. */
export function outcomeText(o: CommandOutcome, lang: Lang): string {
  const out = obj(o.output);
  if (!o.ok) {
    const details = obj(obj(o.error)["details"] ?? out["details"]);
    const tail = arr(details["lastLines"] ?? details["logs"])
      .map(str)
      .slice(-5);
    // Cut off (the sidecar died while it ran): it may well have finished, so it is not called a failure.
    const interrupted = o.error?.code === "interrupted";
    const head = interrupted
      ? lang === "ru"
        ? `⚠️ ${o.vm}: ${o.action} прерван — сайдкар перезапустился во время выполнения, повторно не запускался; проверьте состояние: «статус ${o.vm}».`
        : `⚠️ ${o.vm}: ${o.action} was interrupted — the sidecar restarted while it ran and did not run it again; check the state now with "status ${o.vm}".`
      : lang === "ru"
        ? `❌ ${o.vm}: ${o.action} не удалось — ${o.error?.message ?? "ошибка"}`
        : `❌ ${o.vm}: ${o.action} failed — ${o.error?.message ?? "error"}`;
    return tail.length > 0 ? `${head}\n${tail.join("\n")}` : head;
  }
  switch (o.action) {
    case "status":
      return statusText(o.vm, out, lang);
    case "metrics":
      return metricsText(o.vm, out, lang);
    case "errors":
      return errorsText(o.vm, out, lang);
    case "logs": {
      const lines = arr(out["lines"]).map(str);
      return `📜 ${o.vm} ${str(out["service"])}\n${lines.join("\n") || (lang === "ru" ? "(пусто)" : "(empty)")}`;
    }
    case "restart":
      return lang === "ru"
        ? `✅ ${str(out["service"])} на ${o.vm} активен (${secs(out["durationMs"])} с)`
        : `✅ ${str(out["service"])} is active on ${o.vm} (${secs(out["durationMs"])} s)`;
    case "backup":
      return out["ok"] === false
        ? `⚠️ ${o.vm}: ${str(out["error"])}`
        : lang === "ru"
          ? `💾 ${o.vm}: бэкап ${str(out["commit"]).slice(0, 8)} (${str(out["changed"])} изменений)`
          : `💾 ${o.vm}: backup ${str(out["commit"]).slice(0, 8)} (${str(out["changed"])} changed)`;
    case "reboot":
      return lang === "ru" ? `🔄 ${o.vm} перезагружается` : `🔄 ${o.vm} is rebooting`;
    default:
      return `✅ ${o.vm}: ${o.action} — ${clip(JSON.stringify(o.output ?? {}), 600)}`;
  }
}
