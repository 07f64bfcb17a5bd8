import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../adapters/journal-entry.ts";
import { groupErrors } from "./error-groups.ts";
import { foldStacks } from "./stack-traces.ts";

const lines = (text: string, pid = 7): JournalEntry[] =>
  text
    .split("\n")
    .map((message, i) => ({ at: 1000 + i, priority: 6, unit: "api.service", pid, identifier: "x", message }));

const pythonTraceback = (n: number) =>
  lines(
    [
      "Traceback (most recent call last):",
      '  File "/srv/api/app.py", line 40, in handle',
      "    total = price / qty",
      `ZeroDivisionError: division by zero`,
    ].join("\n"),
    100 + n,
  );

describe("foldStacks", () => {
  it("groups 16 Python tracebacks by their exception line, not by 'Traceback (most recent call last):'", () => {
    const all = Array.from({ length: 16 }, (_, i) => pythonTraceback(i)).flat();
    const { groups } = groupErrors(foldStacks(all));
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 16, sample: "ZeroDivisionError: division by zero" });
  });

  it("keeps the last exception of a chained traceback", () => {
    const folded = foldStacks(
      lines(
        [
          "Traceback (most recent call last):",
          '  File "/srv/api/db.py", line 3, in connect',
          "ConnectionRefusedError: [Errno 111] Connection refused",
          "",
          "During handling of the above exception, another exception occurred:",
          "",
          "Traceback (most recent call last):",
          '  File "/srv/api/app.py", line 9, in <module>',
          "RuntimeError: database unavailable",
        ].join("\n"),
      ),
    );
    expect(folded.map((e) => e.message)).toEqual(["RuntimeError: database unavailable"]);
  });

  it("folds a Node crash into its Error: line", () => {
    const folded = foldStacks(
      lines(
        [
          "/srv/api/server.js:12",
          "    throw new TypeError('price must be a number');",
          "    ^",
          "",
          "TypeError: price must be a number",
          "    at total (/srv/api/server.js:12:11)",
          "    at Object.<anonymous> (/srv/api/server.js:20:1)",
          "",
          "Node.js v20.11.0",
        ].join("\n"),
      ),
    );
    expect(folded.map((e) => e.message)).toEqual(["TypeError: price must be a number"]);
  });

  it("drops a Node error's property dump and keeps ordinary lines", () => {
    const folded = foldStacks(
      lines(
        [
          "listening on 8080",
          "Error: connect ECONNREFUSED 127.0.0.1:5432 {",
          "  errno: -111,",
          "  code: 'ECONNREFUSED',",
          "}",
        ].join("\n"),
      ),
    );
    expect(folded.map((e) => e.message)).toEqual([
      "listening on 8080",
      "Error: connect ECONNREFUSED 127.0.0.1:5432",
    ]);
  });

  it("keeps interleaved processes apart", () => {
    const a = pythonTraceback(1);
    const b = lines("KeyError: 'user'", 2);
    const mixed = [a[0], b[0], a[1], a[2], a[3]].filter((e): e is JournalEntry => e !== undefined);
    expect(foldStacks(mixed).map((e) => e.message)).toEqual([
      "KeyError: 'user'",
      "ZeroDivisionError: division by zero",
    ]);
  });
});
