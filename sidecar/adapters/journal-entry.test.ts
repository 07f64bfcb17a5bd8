import { describe, expect, it } from "vitest";
import { cleanMessage, parseJournalJson } from "./journal-entry.ts";

const record = (fields: Record<string, unknown>) =>
  parseJournalJson(JSON.stringify({ __REALTIME_TIMESTAMP: "1700000000000000", PRIORITY: "6", ...fields }));

describe("journal records as journald writes them", () => {
  it("gives the system manager's records to the unit named in UNIT=, the user manager's to USER_UNIT=", () => {
    expect(record({ _SYSTEMD_UNIT: "init.scope", _PID: "1", UNIT: "api.service", MESSAGE: "x" })?.unit).toBe(
      "api.service",
    );
    expect(
      record({ _SYSTEMD_UNIT: "user@1000.service", _PID: "900", USER_UNIT: "bot.service", MESSAGE: "x" })
        ?.unit,
    ).toBe("bot.service");
    // A service's own line stays its own even when it carries a UNIT= field of its own.
    expect(
      record({ _SYSTEMD_UNIT: "api.service", _PID: "42", UNIT: "other.service", MESSAGE: "x" })?.unit,
    ).toBe("api.service");
    expect(record({ _SYSTEMD_UNIT: "init.scope", _PID: "1", MESSAGE: "Reached target" })?.unit).toBe(
      "init.scope",
    );
  });

  it("decodes byte arrays, strips colour and cursor escapes, keeps tabs and line breaks", () => {
    const bytes = [...Buffer.from("\u001b[1;31mERROR\u001b[0m\tboom\u0007\r\n")];
    expect(record({ _SYSTEMD_UNIT: "a.service", MESSAGE: bytes })?.message).toBe("ERROR\tboom\n");
    expect(cleanMessage("\u001b]0;title\u0007done\u001b[2K")).toBe("done");
  });

  it("marks a message journalctl left out instead of reading it as an empty line", () => {
    expect(record({ _SYSTEMD_UNIT: "a.service", MESSAGE: null })).toMatchObject({
      message: "",
      truncated: true,
    });
    expect(record({ _SYSTEMD_UNIT: "a.service", MESSAGE: "ok" })?.truncated).toBeUndefined();
  });
});
