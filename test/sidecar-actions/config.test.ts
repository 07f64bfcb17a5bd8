/** The config action: validation before it takes effect, previous version kept, rollback on a failed health check. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createHarness, fixture, freePort, git, type Harness, inventory, refusal } from "./harness.ts";

let h: Harness;
afterEach(() => h?.cleanup());

const checker = [
  process.execPath,
  "-e",
  "const t=require('node:fs').readFileSync(process.argv[1],'utf8');if(/listen\\s+(\\d{6,}|0);/.test(t)){console.error('invalid port in listen directive');process.exit(1)}",
  "{file}",
];

async function setup() {
  h = createHarness();
  const port = await freePort();
  const etc = join(h.root, "etc", "web");
  mkdirSync(etc, { recursive: true });
  const json = join(etc, "config.json");
  const site = join(etc, "site.conf");
  const yaml = join(etc, "rules.yaml");
  writeFileSync(json, '{ "health": "ok", "greeting": "hello" }\n');
  writeFileSync(site, "server {\n  listen 8080;\n}\n");
  writeFileSync(yaml, "rules:\n  - name: a\n");
  h.unit("web", fixture("http-service.ts"), { env: { PORT: String(port), CONFIG_FILE: json } });
  const remote = join(h.root, "backup.git");
  git(h.root, "init", "-q", "--bare", "-b", "main", remote);
  const inv = inventory({
    vms: {
      vm1: {
        services: [
          {
            name: "web",
            health: `http://127.0.0.1:${port}/health`,
            configs: [
              { path: json, format: "json", apply: "restart" },
              { path: site, format: "nginx", check: checker, apply: "restart" },
              { path: yaml, format: "yaml", apply: "none" },
            ],
          },
        ],
      },
    },
    backup: { repo: remote, branch: "main" },
  });
  await h.adapters.systemd.start("web.service");
  const [s] = await h.adapters.systemd.status(["web.service"]);
  return {
    handlers: createHandlers(h.adapters),
    ctx: h.ctx(inv),
    json,
    site,
    yaml,
    port,
    remote,
    pid: s?.mainPid,
  };
}

const pidOf = async () => (await h.adapters.systemd.status(["web.service"]))[0]?.mainPid;

describe("config", () => {
  it("refuses content that is not valid JSON and changes nothing", async () => {
    const { handlers, ctx, json, pid } = await setup();
    const before = readFileSync(json, "utf8");
    const err = await refusal(
      handlers.config?.({ service: "web", file: "config.json", content: "{ broken" }, ctx),
    );
    expect(err.code).toBe("config-invalid");
    expect(err.message).toMatch(/not valid JSON/);
    expect(readFileSync(json, "utf8")).toBe(before);
    expect(await pidOf()).toBe(pid);
  });

  it("runs the configured check on a candidate copy and refuses what it rejects", async () => {
    const { handlers, ctx, site, pid } = await setup();
    const before = readFileSync(site, "utf8");
    const err = await refusal(
      handlers.config?.(
        { service: "web", file: "site.conf", patch: [{ find: "listen 8080;", replace: "listen 9999999;" }] },
        ctx,
      ),
    );
    expect(err.code).toBe("config-invalid");
    expect(err.message).toMatch(/invalid port in listen directive/);
    expect(readFileSync(site, "utf8")).toBe(before);
    expect(await pidOf()).toBe(pid);
    const braces = await refusal(
      handlers.config?.({ service: "web", file: "site.conf", content: "server {\n" }, ctx),
    );
    expect(braces.message).toMatch(/unclosed "\{"/);
  });

  it("refuses invalid YAML and a patch whose text is not in the file", async () => {
    const { handlers, ctx, yaml } = await setup();
    const bad = await refusal(
      handlers.config?.({ service: "web", file: "rules.yaml", content: "rules:\n\t- a\n" }, ctx),
    );
    expect(bad.code).toBe("config-invalid");
    const missing = await refusal(
      handlers.config?.({ service: "web", file: "rules.yaml", patch: [{ find: "nope", replace: "x" }] }, ctx),
    );
    expect(missing.code).toBe("patch-not-found");
    expect(readFileSync(yaml, "utf8")).toBe("rules:\n  - name: a\n");
  });

  it("applies a valid patch: backs up first, keeps the previous version, restarts and checks health", async () => {
    const { handlers, ctx, json, remote, pid } = await setup();
    const before = readFileSync(json, "utf8");
    const out = (await handlers.config?.(
      { service: "web", file: "config.json", patch: [{ find: '"hello"', replace: '"привет"' }] },
      ctx,
    )) as {
      changed: boolean;
      replaced: number[];
      previousKept: string;
      verified: { ok: boolean };
      backup: { ok: boolean; commit: string };
    };
    expect(out).toMatchObject({ changed: true, replaced: [1], verified: { ok: true }, backup: { ok: true } });
    expect(readFileSync(json, "utf8")).toContain('"привет"');
    expect(readFileSync(out.previousKept, "utf8")).toBe(before);
    expect(await pidOf()).not.toBe(pid);
    expect(git(remote, "log", "--format=%s", "main").trim()).toMatch(/^vm1: before config change of web: /);
    expect(git(remote, "show", `main:vm1/configs${json}`)).toBe(before);
  });

  it("rolls back automatically when the service is unhealthy with the new config", async () => {
    const { handlers, ctx, json, port } = await setup();
    const before = readFileSync(json, "utf8");
    const err = await refusal(
      handlers.config?.({ service: "web", file: "config.json", content: '{ "health": "fail" }\n' }, ctx),
    );
    expect(err.code).toBe("config-rolled-back");
    expect(err.message).toMatch(/previous version was put back and the service is up again/);
    expect(err.details).toMatchObject({ rolledBack: true, afterRollback: { ok: true } });
    expect(readFileSync(json, "utf8")).toBe(before);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it("rolls back a config the service cannot even start with, and says why", async () => {
    const { handlers, ctx, json, port } = await setup();
    const before = readFileSync(json, "utf8");
    const err = await refusal(
      handlers.config?.(
        {
          service: "web",
          file: "config.json",
          patch: [{ find: '"health": "ok"', replace: '"health": "ok", "crash": true' }],
        },
        ctx,
      ),
    );
    expect(err.code).toBe("config-rolled-back");
    expect(err.details?.["failed"]).toMatchObject({ ok: false });
    expect(String(err.details?.["logs"])).toMatch(/fatal: .* asks for a crash/);
    expect(readFileSync(json, "utf8")).toBe(before);
    expect(existsSync(h.adapters.files.previousPath(json))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});
