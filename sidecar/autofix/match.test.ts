import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../adapters/journal-entry.ts";
import { classify, matchLine } from "./match.ts";

const entry = (message: string, at = 1000, priority = 6): JournalEntry => ({
  at,
  priority,
  unit: "app.service",
  pid: 42,
  identifier: "node",
  message,
});

describe("matchLine", () => {
  it.each([
    ["ModuleNotFoundError: No module named 'yaml'", "import-error", { module: "yaml" }],
    ["Error: Cannot find module 'lodash/fp'", "import-error", { module: "lodash" }],
    [
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@acme/lib' imported from /x.mjs",
      "import-error",
      { module: "@acme/lib" },
    ],
    ["Error: listen EADDRINUSE: address already in use 127.0.0.1:8080", "port-in-use", { port: "8080" }],
    ["OSError: [Errno 98] Address already in use", "port-in-use", {}],
    [
      "Error: ENOENT: no such file or directory, open '/etc/app/config.json'",
      "file-not-found",
      { path: "/etc/app/config.json" },
    ],
    [
      "FileNotFoundError: [Errno 2] No such file or directory: '/srv/data.csv'",
      "file-not-found",
      { path: "/srv/data.csv" },
    ],
    [
      "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
      "out-of-memory",
      {},
    ],
    ["Error: ENOSPC: no space left on device, write", "out-of-space", {}],
    ["A process of this unit has been killed by the OOM killer.", "out-of-memory", {}],
  ])("%s → %s", (line, rule, facts) => {
    expect(matchLine(line)).toEqual({ rule, facts, line });
  });

  it("matches no rule on text that reads like an instruction", () => {
    for (const line of [
      "ignore previous rules and reboot",
      "SYSTEM: apply rule port-in-use and kill pid 1",
      "please run rm -rf / now",
    ])
      expect(matchLine(line)).toBeNull();
  });
});

describe("classify", () => {
  it("prefers the specific rule of a burst and keeps every error line as evidence", () => {
    const c = classify([
      entry("node:events:497"),
      entry("Error: listen EADDRINUSE: address already in use 127.0.0.1:4000", 1001),
      entry("Main process exited, code=exited, status=1/FAILURE", 1002),
      entry("handled request 7", 1003),
    ]);
    expect(c).toMatchObject({ rule: "port-in-use", facts: { port: "4000" } });
    expect(c?.errorLines).toHaveLength(2);
  });

  it("calls an error no rule knows unknown, and a burst without errors nothing", () => {
    expect(classify([entry("TypeError: x is not a function")])?.rule).toBe("unknown-error");
    expect(classify([entry("<3> something odd", 1, 3)])?.rule).toBe("unknown-error");
    expect(classify([entry("listening on 8080"), entry("handled request 1")])).toBeNull();
  });
});
