import { describe, expect, it } from "vitest";
import { parseTelegramConfig } from "./telegram-config.ts";
import { adminChatIds, parseTelegramUsers } from "./users.ts";

const token = "123456:AAH-stand_in_token_value";

describe("parseTelegramUsers", () => {
  it("reads roles and quick-run admins", () => {
    const users = parseTelegramUsers({ TELEGRAM_USERS: "11:viewer, 12:operator", TELEGRAM_ADMINS: "1,2" });
    expect([...users]).toEqual([
      [11, "viewer"],
      [12, "operator"],
      [1, "admin"],
      [2, "admin"],
    ]);
    expect(adminChatIds(users)).toEqual([1, 2]);
  });

  it.each([
    [{ TELEGRAM_USERS: "11:root" }, /must be <user id>:<viewer\|operator\|admin>/],
    [{ TELEGRAM_USERS: "abc:admin" }, /"abc" is not a Telegram user id/],
    [{ TELEGRAM_ADMINS: "1,-5" }, /"-5" is not a Telegram user id/],
    [{ TELEGRAM_USERS: "1:viewer", TELEGRAM_ADMINS: "1" }, /listed as both viewer and admin/],
  ])("refuses %j", (env, message) => {
    expect(() => parseTelegramUsers(env)).toThrow(message);
  });
});

describe("parseTelegramConfig", () => {
  it("is off without a token", () => {
    expect(parseTelegramConfig({ TELEGRAM_ADMINS: "1" })).toBeUndefined();
  });

  it("reads token, API root, users, webhook secret and bot info", () => {
    const botInfo = { id: 123456, is_bot: true, first_name: "voxops", username: "voxops_bot" };
    const config = parseTelegramConfig({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      TELEGRAM_ADMINS: "7",
      TELEGRAM_WEBHOOK_SECRET: "a-long-enough-secret_123",
      TELEGRAM_BOT_INFO: JSON.stringify(botInfo),
    });
    expect(config).toMatchObject({
      token,
      apiRoot: "http://127.0.0.1:8081",
      webhookSecret: "a-long-enough-secret_123",
      botInfo,
    });
    expect(config?.users.get(7)).toBe("admin");
  });

  it("names the bad setting without echoing secrets", () => {
    const bad = (env: Record<string, string>) => {
      try {
        parseTelegramConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_ADMINS: "1", ...env });
        return "";
      } catch (error) {
        return String(error);
      }
    };
    expect(bad({ TELEGRAM_ADMINS: "" })).toMatch(/set TELEGRAM_ADMINS or TELEGRAM_USERS/);
    expect(bad({ TELEGRAM_WEBHOOK_SECRET: "weak!" })).toMatch(/TELEGRAM_WEBHOOK_SECRET must be/);
    expect(bad({ TELEGRAM_WEBHOOK_SECRET: "weak!" })).not.toContain("weak!");
    expect(bad({ TELEGRAM_BOT_INFO: '{"id": 1, "is_bot": true, "username": "x"}' })).toMatch(/another bot/);
    expect(bad({ TELEGRAM_API_ROOT: "file:///etc" })).toMatch(/TELEGRAM_API_ROOT must be an http/);
    expect(() => parseTelegramConfig({ TELEGRAM_BOT_TOKEN: "not a token at all" })).toThrow(
      /does not look like a bot token/,
    );
    expect(bad({ TELEGRAM_BOT_TOKEN: "1" })).not.toContain(token);
  });
});
