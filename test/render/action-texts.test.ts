/**
 * Every action's read-back, rendering and failure text, in both languages, from a sample output in the
 * form its definition declares (the sample table is typed by the catalog: a new action does not compile
 * here until it has one). Each text is a non-empty whole sentence, Russian with no Latin-only sentence,
 * English with no Cyrillic, and never JSON.
 */
import { describe, expect, it } from "vitest";
import type { CommandOutcome } from "../../edge/core/controller.ts";
import { outcomeText } from "../../edge/core/reply-text.ts";
import {
  type ActionArgs,
  type ActionName,
  type ActionOutput,
  actionDefinitions,
  type Lang,
} from "../../protocol/actions/catalog.ts";
import { cyrillicLines, latinOnlySentences } from "../support/latin-only-sentences.ts";

const GiB = 1024 ** 3;
const verified = {
  ok: true,
  state: "active/running",
  pid: 42,
  health: { ok: true, status: 200, ms: 12 },
  reason: null,
};
const figures = {
  uptimeS: 1000,
  load: [0.4, 0.3, 0.2] as [number, number, number],
  memory: { totalB: 8 * GiB, availableB: 5 * GiB },
  disk: { path: "/", totalB: 100 * GiB, freeB: 40 * GiB },
};

/** An applied code change as the apply pipeline reports it. */
const codeChange: ActionOutput<"code-apply"> = {
  vm: "vm1",
  service: "api",
  files: ["app.py"],
  deleted: [],
  renamed: [],
  diffSha256: "e".repeat(64),
  snapshot: "/var/lib/voxops/code-snapshots/api/1764500000000",
  applied: true,
  checks: [{ name: "py_compile app.py", ok: true, ms: 30 }],
  ranAs: "api",
  verified,
  endpoint: { path: "/health", status: 200 },
  commit: "f".repeat(40),
  backup: { ok: true, commit: "c".repeat(40), changed: true, skipped: 0 },
  durationMs: 6400,
  steps: [{ step: "checks", ms: 30 }],
};

/** One sample of each action: its arguments and what its handler returns. */
const samples: { [A in ActionName]: { args: unknown; output: ActionOutput<A> } } = {
  status: {
    args: {},
    output: {
      vm: "vm1",
      figures,
      services: [
        {
          name: "api",
          unit: "api.service",
          state: "active",
          subState: "running",
          since: null,
          pid: 1,
          memoryB: 80 * 1024 ** 2,
        },
        {
          name: "web",
          unit: "web.service",
          state: "failed",
          subState: "failed",
          since: null,
          pid: null,
          memoryB: null,
        },
      ],
      failing: ["web"],
    },
  },
  logs: {
    args: { service: "api" },
    output: { vm: "vm1", service: "api", lines: ["Nov 30 api[1]: started"], truncated: false },
  },
  metrics: {
    args: {},
    output: {
      vm: "vm1",
      memory: { totalB: 8 * GiB, availableB: 5 * GiB, usedB: 3 * GiB },
      swap: { totalB: 2 * GiB, freeB: GiB, usedB: GiB },
      topProcesses: [{ pid: 7, name: "python3", command: "python3 app.py", rssB: 300 * 1024 ** 2 }],
      disks: [{ path: "/", totalB: 100 * GiB, freeB: 40 * GiB, usedB: 60 * GiB }],
      cpu: { load: [0.4, 0.3, 0.2], cpus: 2 },
    },
  },
  errors: {
    args: {},
    output: {
      vm: "vm1",
      since: new Date(Date.now() - 3_600_000).toISOString(),
      failedUnits: ["web.service"],
      errorLines: 3,
      groups: [{ unit: "web.service", pattern: "KeyError: <s>", count: 3, sample: "KeyError: 'x'" }],
      clean: false,
    },
  },
  files: {
    args: { service: "api" },
    output: {
      op: "list",
      root: "/srv/api",
      service: "api",
      dir: ".",
      entries: ["app.py", "lib/"],
      truncated: false,
    },
  },
  restart: {
    args: { service: "api" },
    output: { vm: "vm1", service: "api", unit: "api.service", durationMs: 2100, verified },
  },
  fix: {
    args: { service: "api" },
    output: {
      vm: "vm1",
      ok: true,
      results: [{ service: "api", outcome: "nothing-to-fix", finding: null, plan: null, report: null }],
    },
  },
  config: {
    args: { service: "nginx", file: "etc/nginx/nginx.conf", content: "x" },
    output: {
      file: "/etc/nginx/nginx.conf",
      changed: true,
      applied: "reload",
      verified,
      previousKept: "/etc/nginx/nginx.conf.voxops-prev",
    },
  },
  deploy: {
    args: { service: "api", ref: "v2" },
    output: {
      service: "api",
      previous: "a".repeat(40),
      target: "b".repeat(40),
      changed: true,
      durationMs: 9000,
      verified,
    },
  },
  backup: {
    args: {},
    output: {
      commit: "c".repeat(40),
      changed: true,
      files: 12,
      skipped: [{ path: "/srv/api/.env", reason: "secret" }],
    },
  },
  restore: {
    args: { path: "etc/nginx/nginx.conf" },
    output: { path: "/etc/nginx/nginx.conf", commit: "d".repeat(40), bytes: 2048, replacedExisting: true },
  },
  reboot: { args: {}, output: { mode: "soft", requestedAt: "2026-11-30T12:00:00.000Z" } },
  "restart-sidecar": { args: {}, output: { restarting: true, pid: 99 } },
  probe: { args: { vm: "vm2" }, output: { reached: false, detail: "connection refused" } },
  "code-list": {
    args: { service: "api" },
    output: { service: "api", dir: ".", entries: ["app.py"], truncated: false },
  },
  "code-read": {
    args: { service: "api", path: "app.py" },
    output: {
      service: "api",
      path: "app.py",
      totalLines: 2,
      fromLine: 1,
      toLine: 2,
      text: "import os\nprint(1)",
      whole: true,
    },
  },
  "code-search": {
    args: { service: "api", text: "TODO" },
    output: {
      service: "api",
      text: "TODO",
      hits: [{ path: "app.py", line: 1, text: "# TODO" }],
      filesSearched: 3,
    },
  },
  "code-apply": {
    args: {
      service: "api",
      request: "add /health",
      files: [{ path: "app.py", content: "x", baseSha256: null }],
      diffSha256: "e".repeat(64),
    },
    output: codeChange,
  },
  "code-revert": {
    args: { service: "api", commit: "abcdef1" },
    output: { ...codeChange, commit: null, deleted: ["old.py"], renamed: [{ from: "a.py", to: "b.py" }] },
  },
  "code-agent": {
    args: { service: "api", request: "add /health" },
    output: {
      vm: "vm1",
      service: "api",
      files: [{ path: "app.py", content: "print(2)" }],
      skipped: [{ path: "logo.png", why: "binary-or-big" }],
      output: "Added the /health route.",
    },
  },
  "service-create": {
    args: {
      name: "echo",
      port: 9100,
      entry: "server.js",
      files: [{ path: "server.js", content: "require('http')" }],
      request: "create a service echo on port 9100",
      diffSha256: "a".repeat(64),
    },
    output: {
      vm: "vm1",
      name: "echo",
      unit: "voxops-echo.service",
      port: 9100,
      dir: "/srv/voxops/echo",
      files: ["server.js"],
      checks: [{ name: "node --check server.js", ok: true, ms: 40 }],
      verified,
      backup: { ok: false, skipped: true, error: "no backup repository configured" },
      durationMs: 4200,
    },
  },
  "script-create": {
    args: {
      name: "clean-logs",
      language: "bash",
      content: "find /var/log/app -mtime +7 -delete",
      schedule: "*-*-* 03:00:00",
      request: "delete logs older than 7 days every night at 3",
      diffSha256: "b".repeat(64),
    },
    output: {
      vm: "vm1",
      name: "clean-logs",
      path: "/srv/voxops/scripts/clean-logs.sh",
      unit: "voxops-clean-logs.service",
      timer: "voxops-clean-logs.timer",
      schedule: "*-*-* 03:00:00",
      nextElapse: "Tue 2026-12-01 03:00:00 UTC",
      checks: [{ name: "bash -n script.sh", ok: true, ms: 5 }],
      backup: { ok: false, error: "the backup remote refused the push" },
    },
  },
  "script-run": {
    args: { name: "clean-logs" },
    output: {
      vm: "vm1",
      name: "clean-logs",
      unit: "voxops-clean-logs.service",
      ok: true,
      exitCode: 0,
      result: "success",
      output: ["removed 3 files"],
      durationMs: 800,
    },
  },
  "created-list": {
    args: {},
    output: {
      vm: "vm1",
      created: [
        {
          kind: "service",
          name: "echo",
          unit: "voxops-echo.service",
          state: "active",
          port: 9100,
          path: "/srv/voxops/echo",
          createdAt: 1_764_500_000_000,
        },
        {
          kind: "script",
          name: "clean-logs",
          unit: "voxops-clean-logs.service",
          state: "inactive",
          path: "/srv/voxops/scripts/clean-logs.sh",
          timer: "voxops-clean-logs.timer",
          schedule: "*-*-* 03:00:00",
          nextElapse: "Tue 2026-12-01 03:00:00 UTC",
          createdAt: 1_764_500_000_000,
        },
      ],
    },
  },
  "created-remove": {
    args: { name: "echo" },
    output: {
      vm: "vm1",
      removed: "echo",
      kind: "service",
      unit: "voxops-echo.service",
      timer: null,
      path: "/srv/voxops/echo",
    },
  },
};

const names = Object.keys(actionDefinitions) as ActionName[];
const langs: Lang[] = ["ru", "en"];

/** Asserts a text reads as whole sentences in `lang`. */
function readsIn(text: string, lang: Lang): void {
  expect(text.trim()).not.toBe("");
  expect(text).not.toMatch(/^\s*[[{]/m);
  expect(text).toMatch(/[.?!:]$|[.?!:]\n/);
  if (lang === "ru") expect(latinOnlySentences(text)).toEqual([]);
  else expect(cyrillicLines(text)).toEqual([]);
}

describe("every action's texts", () => {
  it.each(names)("%s: the sample output fits its schema and renders in both languages", (name) => {
    const def = actionDefinitions[name];
    const sample = samples[name];
    const out = def.output.safeParse(sample.output);
    expect(out.success).toBe(true);
    for (const lang of langs) {
      const text = (def.render as (o: any, w: { vm: string; lang: Lang }) => string)(out.data, {
        vm: "vm1",
        lang,
      });
      readsIn(text, lang);
    }
  });

  it.each(names)("%s: the read-back names the target in both languages", (name) => {
    const def = actionDefinitions[name];
    const args = def.args.parse(samples[name].args) as ActionArgs<typeof name>;
    for (const lang of langs) {
      const on = lang === "ru" ? "на vm1 (main)" : "on vm1 (main)";
      const text = (def.readBack as (a: any, w: object) => string)(args, { lang, on, target: "vm1 (main)" });
      expect(text).toMatch(/\?$/);
      expect(text).toContain("vm1");
      readsIn(text, lang);
    }
  });

  it("status gives the disk's free space of its total (the heartbeat carries what is available, not what is used)", () => {
    const def = actionDefinitions.status;
    const out = def.output.parse(samples.status.output);
    expect(def.render(out, { vm: "vm1", lang: "en" })).toContain("disk / 40.0 of 100.0 GiB free.");
    expect(def.render(out, { vm: "vm1", lang: "ru" })).toContain("на диске / свободно 40.0 из 100.0 ГиБ.");
  });

  it("a failed restart shows the unit's last journal lines under a sentence in the operator's language", () => {
    const details = {
      service: "api",
      durationMs: 3200,
      verified: { ok: false, state: "failed/failed", reason: "the unit failed" },
      logs: ["Nov 30 api[7]: Traceback (most recent call last):", "Nov 30 api[7]: KeyError: 'DATABASE_URL'"],
    };
    for (const lang of langs) {
      const text = actionDefinitions.restart.renderFailure?.(
        { code: "restart-failed", message: "api did not come up", details },
        { vm: "vm1", lang },
      );
      expect(text).toContain("  Nov 30 api[7]: KeyError: 'DATABASE_URL'");
      readsIn(text ?? "", lang);
    }
  });

  /** The actions whose outputs were once untyped records (issue 12): each now has a precise schema. */
  const typedNow = [
    "code-apply",
    "code-revert",
    "code-agent",
    "service-create",
    "script-create",
    "script-run",
    "created-list",
    "created-remove",
  ] as const;

  it.each(typedNow)(
    "%s: an answer that does not fit the schema reads as unreadable, naming the sidecar's version, in both languages",
    (name) => {
      const sample = samples[name].output as Record<string, unknown>;
      // A sidecar of another version: one field of the sample in another form, and an answer with none of them.
      const field = Object.keys(sample).find((k) => k !== "vm") ?? "vm";
      for (const output of [
        { ...sample, [field]: { odd: true } },
        { vm: "vm2", result: "done" },
      ]) {
        const o = { ok: true, vm: "vm2", action: name, output, durationMs: 5 } as CommandOutcome;
        const en = outcomeText(o, "en", { sidecarVersion: "0.0.9" });
        expect(en).toBe(
          `⚠️ vm2: the VM's sidecar answered the ${actionDefinitions[name].noun.en} in a form this controller does not understand (sidecar version 0.0.9). Update the sidecar on vm2 to the controller's version and try again; until then the audit log has the raw result.`,
        );
        const ru = outcomeText(o, "ru", { sidecarVersion: "0.0.9" });
        expect(ru).toContain(
          `⚠️ vm2: сайдкар VM ответил на «${actionDefinitions[name].noun.ru}» в форме, которую этот контроллер не понимает (версия сайдкара 0.0.9).`,
        );
        readsIn(ru, "ru");
        readsIn(en, "en");
      }
    },
  );

  it.each(typedNow)(
    "%s: a typed answer reads through the controller as its definition renders it",
    (name) => {
      const o = { ok: true, vm: "vm1", action: name, output: samples[name].output, durationMs: 5 };
      for (const lang of langs) {
        const text = outcomeText(o as CommandOutcome, lang, { sidecarVersion: "0.0.9" });
        expect(text).not.toContain("0.0.9");
        const def = actionDefinitions[name];
        expect(text).toBe(
          (def.render as (o: any, w: object) => string)(def.output.parse(o.output), { vm: "vm1", lang }),
        );
      }
    },
  );

  it("the typed outputs' facts reach the operator: commit, endpoint, backup, timer, exit code, list entries", () => {
    const en = (name: (typeof typedNow)[number]) =>
      (actionDefinitions[name].render as (o: any, w: object) => string)(samples[name].output, {
        vm: "vm1",
        lang: "en",
      });
    expect(en("code-apply")).toContain("Committed as ffffffffffff.");
    expect(en("code-apply")).toContain("The new endpoint /health answers 200.");
    expect(en("code-apply")).toContain("Checks passed: py_compile app.py.");
    expect(en("code-revert")).toContain("Renamed: a.py → b.py.");
    expect(en("code-revert")).toContain("The source is not a git checkout: no commit; the snapshot is kept.");
    expect(en("service-create")).toContain("unit voxops-echo.service, port 9100.");
    expect(en("service-create")).toContain("No backup repository is set up.");
    expect(en("script-create")).toContain("next run Tue 2026-12-01 03:00:00 UTC.");
    expect(en("script-create")).toContain("No backup: the backup remote refused the push.");
    expect(en("script-run")).toContain("(exit 0, 0.8 s)");
    expect(en("script-run")).toContain("removed 3 files");
    expect(en("created-list")).toContain("• service echo (voxops-echo.service, port 9100): active");
    expect(en("created-remove")).toContain("(/srv/voxops/echo) deleted.");
    expect(en("code-agent")).toContain("1 files changed, 1 left out");
  });

  it("a failed code change or creation still reads as the sidecar's failure, never as unreadable", () => {
    for (const action of ["code-apply", "service-create"]) {
      const o = {
        ok: false,
        vm: "vm1",
        action,
        error: { code: "checks-failed", message: "The change to api was not applied: py_compile failed." },
        durationMs: 5,
      } as CommandOutcome;
      expect(outcomeText(o, "en", { sidecarVersion: "0.0.9" })).toBe(
        "❌ The change to api was not applied: py_compile failed.",
      );
    }
  });
});
