import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/voxops.js", import.meta.url));
const inventory = fileURLToPath(new URL("../understand/fixtures/eval-inventory.json", import.meta.url));
const paraphrases = fileURLToPath(new URL("../understand/fixtures/paraphrases.jsonl", import.meta.url));

function run(args: string[], input: string) {
  return spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8" });
}

describe("voxops understand", () => {
  it("writes one prediction per line, in order, and an unknown for every bad line", () => {
    const input = [
      JSON.stringify({ text: "Перезапусти grok-voice", lang: "ru" }),
      "not json at all",
      "",
      JSON.stringify({ lang: "en" }),
      JSON.stringify([1, 2]),
      JSON.stringify({ text: "restart nginx on vm1", extra: { ignored: true } }),
    ].join("\n");
    const r = run(["understand", "--inventory", inventory], `${input}\n`);
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { intent: "restart", args: { service: "grok-voice", vm: "vm1" } },
      { intent: "unknown", args: {} },
      { intent: "unknown", args: {} },
      { intent: "unknown", args: {} },
      { intent: "unknown", args: {} },
      { intent: "restart", args: { service: "nginx", vm: "vm1" } },
    ]);
  });
  it("with --explain, says whether the desk would ask back", () => {
    const input = ["restart postgres and set work_mem to 64mb", "Перезапусти grok-voice", "restart nginx"]
      .map((text) => JSON.stringify({ text }))
      .join("\n");
    const r = run(["understand", "--inventory", inventory, "--explain"], `${input}\n`);
    const asks = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { asks: boolean }).asks);
    expect(asks).toEqual([true, false, true]);
  });
  it("refuses to start without a valid inventory", () => {
    expect(run(["understand"], "").status).toBe(2);
    expect(run(["understand", "--inventory", paraphrases], "").status).toBe(2);
  });
});

describe("voxops eval", () => {
  it("prints the figures last on stdout", () => {
    const r = run(["eval", "--file", paraphrases, "--inventory", inventory], "");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^accuracy=1 dangerous=0 n=\d+$/);
    expect(lines.at(-2)).toMatch(
      /^changing_fired=[1-9]\d* questions=[1-9]\d* clear_asked=0\/[1-9]\d* \(0\.0%\)$/,
    );
    expect(r.status).toBe(0);
  });
});
