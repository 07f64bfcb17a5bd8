/**
 * Code pipeline bench: the time voxops itself takes to apply a confirmed change on the fixture
 * service under a real systemd (the sandbox) — snapshot, write, syntax + declared checks, restart,
 * verify, commit, backup — and to roll back a change that does not come up. Model time is excluded:
 * the changes go straight to `code-apply` through the controller, as a confirmed proposal does.
 *
 * Run: npm run bench:code [rounds]   (as root; boots the systemd sandbox)
 */
import { createHash } from "node:crypto";
import { type CodeWorld, startCodeWorld } from "../code/code-world.ts";

const rounds = Number(process.argv[2] ?? 3);
const actor = { kind: "api", id: "bench", role: "admin" } as const;
const sha = (t: string) => createHash("sha256").update(t).digest("hex");

async function read(w: CodeWorld, path: string): Promise<{ text: string; sha256: string }> {
  const o = await w.host.controller.dispatch({
    vm: "vm1",
    action: "code-read",
    args: { service: "api", path, toLine: 100_000 },
    actor,
  });
  if (!o.ok) throw new Error(o.error?.message);
  const out = o.output as { text: string; sha256: string };
  return { text: out.text, sha256: out.sha256 };
}

async function apply(w: CodeWorld, path: string, content: string, request: string) {
  const base = await read(w, path);
  const started = performance.now();
  const o = await w.host.controller.dispatch({
    vm: "vm1",
    action: "code-apply",
    args: {
      service: "api",
      request,
      files: [{ path, content, baseSha256: base.sha256 }],
      diffSha256: sha(content),
    },
    actor,
    timeoutMs: 120_000,
  });
  return { o, wallMs: performance.now() - started, base };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const w = await startCodeWorld();
try {
  const ok: number[] = [];
  const own: number[] = [];
  const checks: number[] = [];
  const rollback: number[] = [];
  const steps = new Map<string, number[]>();
  for (let i = 0; i < rounds; i++) {
    const app = await read(w, "app.js");
    const next = app.text
      .replace(/body: "hello[^"]*"/, `body: "hello"`)
      .replace(/\n\/\/ round \d+\n?$/, "\n");
    const r = await apply(w, "app.js", `${next.trimEnd()}\n// round ${i}\n`, `bench round ${i}`);
    if (!r.o.ok) throw new Error(`apply failed: ${r.o.error?.message}`);
    const out = r.o.output as {
      durationMs: number;
      checks: { ms: number }[];
      steps: { step: string; ms: number }[];
    };
    for (const s of out.steps) steps.set(s.step, [...(steps.get(s.step) ?? []), s.ms]);
    ok.push(r.wallMs);
    own.push(out.durationMs);
    checks.push(out.checks.reduce((s, c) => s + c.ms, 0));
    const server = await read(w, "server.js");
    const broken = server.text.replace("const port = ", 'throw new Error("bench: boom");\nconst port = ');
    const b = await apply(w, "server.js", broken, `bench broken ${i}`);
    if (b.o.ok || !/rolled back/.test(b.o.error?.message ?? ""))
      throw new Error(`expected a rollback: ${b.o.error?.message}`);
    rollback.push(b.wallMs);
  }
  process.stdout.write(
    [
      `code pipeline on the fixture service (real systemd 252 in the sandbox), ${rounds} rounds, model time excluded`,
      `apply → checks → restart → verify → commit → backup: median ${fmt(median(ok))} (sidecar's own ${fmt(median(own))}; checks ${fmt(median(checks))}), min ${fmt(Math.min(...ok))}, max ${fmt(Math.max(...ok))}`,
      `by step (median): ${[...steps].map(([step, ms]) => `${step} ${fmt(median(ms))}`).join(", ")}`,
      `failed start → rollback → restart → verify old: median ${fmt(median(rollback))}, min ${fmt(Math.min(...rollback))}, max ${fmt(Math.max(...rollback))}`,
      "",
    ].join("\n"),
  );
} finally {
  await w.close();
}
