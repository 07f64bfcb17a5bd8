/**
 * The sidecar protocol under attack: upgrades with wrong keys and hostile VM names, then 10,000
 * fuzzed frames (valid frames mutated field by field, truncated JSON, random bytes, binary, odd
 * types) from an authenticated socket against the real controller. Every invalid frame must be
 * answered with an error frame, the controller must stay up, and the socket must stay open.
 */
import WebSocket from "ws";
import { parseFrame } from "../../protocol/frames.ts";
import type { Tally } from "./tally.ts";
import type { World } from "./world.ts";

/** A small seeded generator (mulberry32) so a failing run can be repeated with ATTACK_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tries to open /sidecar; resolves with the HTTP status of a refusal, or 101 when it opened. */
function upgrade(world: World, vm: string, key: string | null): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${world.base.replace("http", "ws")}/sidecar?vm=${encodeURIComponent(vm)}`, {
      ...(key === null ? {} : { headers: { authorization: `Bearer ${key}` } }),
      handshakeTimeout: 10_000,
    });
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      resolve(101);
      ws.close();
    });
    ws.on("error", () => resolve(0));
  });
}

async function admissionCases(world: World, tally: Tally): Promise<void> {
  const cases: [string, string, string | null][] = [
    ["no key", "vm3", null],
    ["vm1's key for vm2", "vm2", world.keys.vm1],
    ["wrong key", "vm3", "not-a-key-000000000000"],
    ["empty key", "vm3", ""],
    ["unknown VM", "vm9", world.keys.vm1],
    ["VM name with NUL", "vm1\u0000", world.keys.vm1],
    ["10,000-character VM name", "v".repeat(10_000), world.keys.vm1],
    ["VM name with shell characters", "vm1;id", world.keys.vm1],
    ["100 kB key", "vm3", "k".repeat(100_000)],
  ];
  for (const [name, vm, key] of cases) {
    const status = await upgrade(world, vm, key);
    tally.record({
      group: "sidecar",
      name: `upgrade: ${name}`,
      ...(status >= 400 && status < 500
        ? { verdict: "refused" as const }
        : status === 0 || status >= 500
          ? { verdict: "crash" as const, note: `status ${status}` }
          : { verdict: "wrong" as const, note: `status ${status}` }),
    });
  }
}

const templates = (now: number): Record<string, unknown>[] => [
  {
    type: "hello",
    v: 1,
    vm: "vm3",
    version: "0.1.0",
    capabilities: ["status"],
    services: [],
    startedAt: now,
  },
  {
    type: "heartbeat",
    at: now,
    figures: {
      uptimeS: 1,
      load: [0, 0, 0],
      memory: { totalB: 1, availableB: 1 },
      disk: { path: "/", totalB: 1, freeB: 1 },
    },
    failedUnits: [],
    peers: [],
  },
  { type: "result", id: "fuzz-result-1", ok: true, output: { x: 1 } },
  { type: "ack", id: "fuzz-ack-1", of: "command" },
  { type: "event", id: "fuzz-event-1", kind: "fuzz.noise", at: now, data: {} },
  { type: "error", code: "fuzz", message: "noise" },
];

function oddValue(r: () => number): unknown {
  const pick = Math.floor(r() * 14);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return -1;
    case 2:
      return 1e308;
    case 3:
      return "x".repeat(Math.floor(r() * 5000));
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
    case 7:
      return "\u0000\u202e$(id)`id`";
    case 8:
      return true;
    case 9:
      return Array.from({ length: 300 }, () => "u");
    case 10:
      return "vm1";
    case 11:
      return JSON.parse("[".repeat(200) + "]".repeat(200));
    case 12:
      return Number.MAX_SAFE_INTEGER;
    default:
      return "результат";
  }
}

function mutate(r: () => number, now: number): string | Buffer {
  const kind = r();
  if (kind < 0.03) return Buffer.from(crypto.getRandomValues(new Uint8Array(Math.floor(r() * 512))));
  if (kind < 0.08)
    return Array.from({ length: Math.floor(r() * 200) }, () =>
      String.fromCharCode(Math.floor(r() * 0xffff)),
    ).join("");
  const list = templates(now);
  const frame = structuredClone(list[Math.floor(r() * list.length)] ?? {});
  const keys = Object.keys(frame);
  const edits = 1 + Math.floor(r() * 3);
  for (let i = 0; i < edits; i++) {
    const key =
      r() < 0.85
        ? (keys[Math.floor(r() * keys.length)] ?? "type")
        : (["__proto__", "extra", "constructor"][Math.floor(r() * 3)] ?? "extra");
    const op = r();
    if (op < 0.25) delete frame[key];
    else frame[key] = oddValue(r);
  }
  if (r() < 0.1) frame.type = ["command", "HELLO", "", "result ", "hello\u0000"][Math.floor(r() * 5)];
  const text = JSON.stringify(frame);
  return kind < 0.15 ? text.slice(0, Math.floor(r() * text.length)) : text;
}

/** Sends the fuzzed frames over one authenticated socket and counts the error frames that answer them. */
async function fuzzCases(world: World, tally: Tally, frames: number, seed: number): Promise<void> {
  const r = prng(seed);
  let errors = 0;
  let closed: string | null = null;
  const connect = async (): Promise<WebSocket> => {
    const socket = new WebSocket(`${world.base.replace("http", "ws")}/sidecar?vm=vm3`, {
      headers: { authorization: `Bearer ${world.keys.vm3}` },
    });
    socket.on("message", (data) => {
      const parsed = parseFrame(data.toString());
      if (parsed.ok && parsed.frame.type === "error") errors++;
    });
    closed = null;
    socket.on("close", (code, reason) => {
      closed = `${code} ${reason.toString()}`;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    socket.send(JSON.stringify(templates(Date.now())[0]));
    return socket;
  };
  let ws = await connect();
  const now = Date.now();
  let invalid = 0;
  let spoofs = 0;
  let unexpectedClose: string | null = null;
  for (let i = 0; i < frames && unexpectedClose === null; i++) {
    const frame = mutate(r, now);
    const parsed = typeof frame === "string" ? parseFrame(frame) : undefined;
    if (!parsed?.ok) invalid++;
    ws.send(frame);
    // A valid hello naming another VM must cut the link (4403); then the fuzzer dials again.
    if (parsed?.ok && parsed.frame.type === "hello" && parsed.frame.vm !== "vm3") {
      const until = Date.now() + 5000;
      while (closed === null && Date.now() < until) await new Promise((res) => setTimeout(res, 10));
      if (!String(closed).startsWith("4403"))
        unexpectedClose = `a hello as ${parsed.frame.vm} left the link ${closed ?? "open"}`;
      spoofs++;
      ws = await connect();
      continue;
    }
    if (closed !== null) unexpectedClose = closed;
    if (i % 500 === 499) await new Promise((res) => setTimeout(res, 5));
  }
  const until = Date.now() + 20_000;
  while (errors < invalid && closed === null && Date.now() < until)
    await new Promise((res) => setTimeout(res, 50));
  const alive = await fetch(`${world.base}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
    (x) => x.ok,
    () => false,
  );
  tally.bulk("sidecar-fuzz", frames, Math.min(errors, invalid) + spoofs);
  tally.record({
    group: "sidecar",
    name: `${frames} fuzzed frames (seed ${seed}): ${invalid} invalid, ${errors} error frames back, ${spoofs} spoofed hellos cut off`,
    ...(!alive || world.controller.child.exitCode !== null
      ? { verdict: "crash" as const, note: "the controller stopped answering" }
      : unexpectedClose !== null
        ? { verdict: "crash" as const, note: `the controller closed the socket: ${unexpectedClose}` }
        : errors < invalid
          ? { verdict: "wrong" as const, note: `${invalid - errors} invalid frames got no error frame` }
          : { verdict: "accepted" as const }),
  });
  // A frame over the limit closes that socket (1009) and nothing else.
  const closedBig = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  ws.send("x".repeat(1_100_000));
  const code = await Promise.race([
    closedBig,
    new Promise<number>((res) => setTimeout(() => res(-1), 10_000)),
  ]);
  const stillAlive = await fetch(`${world.base}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
    (x) => x.ok,
    () => false,
  );
  tally.record({
    group: "sidecar",
    name: "a 1.1 MB frame",
    ...(stillAlive && code === 1009
      ? { verdict: "refused" as const }
      : stillAlive
        ? { verdict: "wrong" as const, note: `close code ${code}` }
        : { verdict: "crash" as const }),
  });
  ws.terminate();
}

/**
 * What callers without a key can make the audit hold: each stored field clean and short, and
 * repeated refusals from one source kept as a count, not as one row each.
 */
async function auditFromStrangers(world: World, tally: Tally): Promise<void> {
  for (let i = 0; i < 50; i++) await upgrade(world, "vm3", `wrong-key-${i}-00000000000000`);
  const res = await fetch(`${world.base}/agent/audit?limit=1000`, {
    headers: { authorization: `Bearer ${world.tokens.admin}` },
  });
  const records = ((await res.json()) as { records: Record<string, unknown>[] }).records.filter(
    (r) => r.action === "sidecar-connect" && String(r.outcome).startsWith("refused"),
  );
  const dirty = records.filter((r) =>
    ["target", "detail", "ref"].some(
      (k) => String(r[k] ?? "").length > 200 || String(r[k] ?? "").includes("\u0000"),
    ),
  );
  tally.record({
    group: "sidecar",
    name: "the audit after refused upgrades with a NUL and a 10,000-character VM name",
    fault: "audit-clip",
    ...(dirty.length === 0
      ? { verdict: "refused" as const }
      : {
          verdict: "wrong" as const,
          note: `${dirty.length} records keep the raw value (${String(dirty[0]?.target).length} characters)`,
        }),
  });
  tally.record({
    group: "sidecar",
    name: "59 refused upgrades from one source",
    fault: "audit-clip",
    ...(records.length <= 10
      ? { verdict: "refused" as const }
      : { verdict: "wrong" as const, note: `${records.length} audit rows, one per attempt` }),
  });
}

/** A sidecar that says hello as another VM is cut off (4403) and the other VM keeps its link. */
async function spoofedHello(world: World, tally: Tally): Promise<void> {
  const ws = new WebSocket(`${world.base.replace("http", "ws")}/sidecar?vm=vm3`, {
    headers: { authorization: `Bearer ${world.keys.vm3}` },
  });
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(JSON.stringify({ ...templates(Date.now())[0], vm: "vm1" }));
  const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
  const health = (await (
    await fetch(`${world.base}/agent/health`, { headers: { authorization: `Bearer ${world.tokens.admin}` } })
  ).json()) as { sidecars: { vm: string }[] };
  const vm1 = health.sidecars.some((s) => s.vm === "vm1");
  tally.record({
    group: "sidecar",
    name: "hello claiming to be vm1 on vm3's link",
    ...(code >= 4000 && vm1
      ? { verdict: "refused" as const }
      : { verdict: "wrong" as const, note: `close ${code}, vm1 connected: ${vm1}` }),
  });
}

/** Runs the sidecar protocol groups. */
export async function runSidecarCases(world: World, tally: Tally, frames = 10_000): Promise<void> {
  await admissionCases(world, tally);
  await auditFromStrangers(world, tally);
  await spoofedHello(world, tally);
  await fuzzCases(world, tally, frames, Number(process.env.ATTACK_SEED ?? 16));
}
