import { describe, expect, it } from "vitest";
import { readCreatedCommand, readCreation, scheduleOf } from "./creation-words.ts";

describe("creation requests in the operator's words", () => {
  it("reads a new service's name and port in Russian and English", () => {
    expect(readCreation("создай сервис echo на порту 9100, который отвечает тем же")).toEqual({
      kind: "service",
      name: "echo",
      port: 9100,
    });
    expect(readCreation("create a service echo on port 9100 that answers with what it gets")).toEqual({
      kind: "service",
      name: "echo",
      port: 9100,
    });
    expect(readCreation("Create a new service called time-api on port 9200")).toMatchObject({
      name: "time-api",
      port: 9200,
    });
    expect(readCreation("создай новый сервис на порту 9300")).toEqual({
      kind: "service",
      name: null,
      port: 9300,
    });
  });

  it("reads a script and its schedule", () => {
    expect(
      readCreation("напиши скрипт, который удаляет логи старше 7 дней, и запускай его каждую ночь в 3"),
    ).toEqual({ kind: "script", name: null, schedule: "*-*-* 03:00:00", runNow: false });
    expect(
      readCreation("write a script that deletes logs older than 7 days and run it every night at 3"),
    ).toMatchObject({ kind: "script", schedule: "*-*-* 03:00:00" });
    expect(readCreation("напиши скрипт, который чистит /tmp")).toMatchObject({ schedule: null });
  });

  it("keeps a name as it was said, so that a bad one is refused rather than trimmed", () => {
    expect(readCreation("create a service echo;rm on port 9100")).toMatchObject({ name: "echo;rm" });
    expect(readCreation("создай сервис «echo» на порту 9100")).toMatchObject({ name: "echo" });
    expect(readCreation("create a service that answers on port 9100")).toMatchObject({ name: null });
  });

  it("leaves other requests alone", () => {
    expect(readCreation("Добавь endpoint /health в api")).toBeNull();
    expect(readCreation("перезапусти echo")).toBeNull();
  });

  it.each([
    ["каждую ночь в 3", "*-*-* 03:00:00"],
    ["every night at 3", "*-*-* 03:00:00"],
    ["каждый день в 14:30", "*-*-* 14:30:00"],
    ["every day at 5pm", "*-*-* 17:00:00"],
    ["каждый вечер в 9 вечера", "*-*-* 21:00:00"],
    ["every 15 minutes", "*-*-* *:0/15:00"],
    ["каждые 2 часа", "*-*-* 0/2:00:00"],
    ["каждый час", "*-*-* *:00:00"],
    ["по понедельникам в 9", "Mon *-*-* 09:00:00"],
    ["every friday at 18:05", "Fri *-*-* 18:05:00"],
    ["ежемесячно", "*-*-01 00:00:00"],
    ["every 90 minutes", "unclear"],
    ["каждую ночь в 27", "unclear"],
    ["разово", null],
  ])("%s → %s", (words, expected) => {
    expect(scheduleOf(words)).toBe(expected);
  });
});

describe("commands about what voxops created", () => {
  it.each([
    ["что создал voxops", { kind: "list" }],
    ["покажи таймеры", { kind: "list" }],
    ["list timers", { kind: "list" }],
    ["what did voxops create", { kind: "list" }],
    ["удали сервис echo", { kind: "remove", name: "echo" }],
    ["remove the script clean-logs", { kind: "remove", name: "clean-logs" }],
    ["удали таймер clean-logs", { kind: "remove", name: "clean-logs" }],
    ["запусти скрипт clean-logs сейчас", { kind: "run", name: "clean-logs" }],
    ["run script clean-logs", { kind: "run", name: "clean-logs" }],
    ["перезапусти echo", null],
    ["удали логи старше недели", null],
    ["напиши скрипт, который удаляет логи старше 7 дней", null],
  ])("%s", (words, expected) => {
    expect(readCreatedCommand(words)).toEqual(expected);
  });
});
