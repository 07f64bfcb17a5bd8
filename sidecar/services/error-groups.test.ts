import { describe, expect, it } from "vitest";
import { groupErrors, normaliseMessage } from "./error-groups.ts";

describe("error grouping", () => {
  it("normalises what changes between repeats", () => {
    expect(
      normaliseMessage(
        "2024-11-26T10:11:12.123Z request 5f0c2b1e-7a7d-4c55-9b1a-1f2e3d4c5b6a from 10.0.0.7:443 took 35ms (0xdeadbeef, a1b2c3d4e5)",
      ),
    ).toBe("<time> request <uuid> from <ip> took <n>ms (<hex>, <hex>)");
    expect(normaliseMessage("Error: listen EADDRINUSE: address already in use 127.0.0.1:8080")).toBe(
      "Error: listen EADDRINUSE: address already in use <ip>",
    );
  });

  it("counts repeats per unit and orders by count", () => {
    const e = (at: number, unit: string, message: string) => ({
      at,
      priority: 3,
      unit,
      pid: 1,
      identifier: "x",
      message,
    });
    const { groups, total } = groupErrors([
      e(1, "a.service", "timeout after 10ms"),
      e(2, "a.service", "timeout after 20ms"),
      e(3, "b.service", "timeout after 30ms"),
      e(4, "a.service", "timeout after 40ms"),
      e(5, "a.service", "disk full"),
    ]);
    expect(total).toBe(5);
    expect(groups.map((g) => [g.unit, g.pattern, g.count])).toEqual([
      ["a.service", "timeout after <n>ms", 3],
      ["a.service", "disk full", 1],
      ["b.service", "timeout after <n>ms", 1],
    ]);
    expect(groups[0]?.sample).toBe("timeout after 40ms");
  });
});
