/**
 * What the operator reads when creating services or scripts is not set up: whole sentences, in their
 * language, naming the inventory field that sets it up and that the installer must run again so the
 * VM's privileges follow.
 */
import type { Lang } from "../core/desk.ts";

const fields = {
  service: '"code": {"newServices": {"root": "/srv/new"}}',
  script: '"code": {"scripts": {"dir": "/opt/voxops-scripts"}}',
} as const;

/** The sentence for creation that is not set up: of `kind` (or of either), on `vm` (or on any VM). */
export function creationSetupText(lang: Lang, kind: "service" | "script" | "any", vm?: string): string {
  const ru = lang === "ru";
  const what =
    kind === "service"
      ? ru
        ? "сервисы"
        : "services"
      : kind === "script"
        ? ru
          ? "скрипты"
          : "scripts"
        : ru
          ? "сервисы и скрипты"
          : "services or scripts";
  // Russian quotes the inventory's JSON as «…»: it is the inventory's words, not a sentence of ours.
  const field = (k: "service" | "script") => (ru ? `«${fields[k]}»` : fields[k]);
  const add =
    kind === "any"
      ? ru
        ? `${field("service")} (сервисы) или ${field("script")} (скрипты)`
        : `${field("service")} (services) or ${field("script")} (scripts)`
      : field(kind);
  const where = vm ? (ru ? `на ${vm}` : `on ${vm}`) : ru ? "ни на одной VM" : "on any VM";
  return ru
    ? `Создавать ${what} ${where} не настроено: в инвентаре нет разрешения. Чтобы настроить, добавьте ${vm ? `VM ${vm}` : "нужной VM"} в инвентаре ${add} и запустите установщик сайдкара ещё раз, чтобы права на VM обновились.`
    : `Creating ${what} ${where} is not set up: the inventory does not allow it. To set it up, add ${add} to ${vm ? vm : "a VM"} in the inventory and run the sidecar's installer again so that the VM's privileges follow.`;
}
