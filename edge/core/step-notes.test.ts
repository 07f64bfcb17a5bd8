/** Step notes and durations: what the operator reads for each step, and how long each step took. */
import { describe, expect, it } from "vitest";
import { stepDurations, stepNote } from "./step-notes.ts";

describe("step notes", () => {
  it("reads each known step in the operator's language and says nothing for final or unknown steps", () => {
    expect(stepNote("checks", "ru")).toBe("Запускаю проверки…");
    expect(stepNote("restarting", "en")).toBe("Restarting the service…");
    for (const step of ["done", "failed", "rolled-back", "reboot-the-vm"])
      expect(stepNote(step, "en")).toBeNull();
  });
  it("measures each step until the next one began; a final step ends the last, an unfinished last step is left out", () => {
    expect(
      stepDurations([
        { step: "snapshot", at: 1000 },
        { step: "checks", at: 1010 },
        { step: "restarting", at: 1810 },
        { step: "done", at: 4000 },
      ]),
    ).toEqual([
      { step: "snapshot", ms: 10 },
      { step: "checks", ms: 800 },
      { step: "restarting", ms: 2190 },
    ]);
    expect(stepDurations([{ step: "checks", at: 5 }])).toEqual([]);
  });
});
