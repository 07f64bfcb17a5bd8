/** The deploy action on a real git checkout: fast-forward, build, restart, health check, rollback. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { createHarness, freePort, git, type Harness, inventory, refusal } from "./harness.ts";

let h: Harness;
afterEach(() => h?.cleanup());

const server = (status: number) => `import { createServer } from "node:http";
import { readFileSync } from "node:fs";
const version = readFileSync(new URL("./built.txt", import.meta.url), "utf8").trim();
createServer((req, res) => {
  res.writeHead(req.url === "/health" ? ${status} : 404).end(version);
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("serving " + version));
process.on("SIGTERM", () => process.exit(0));
`;

/** An upstream repository, its bare origin and the service's checkout at v1, running. */
async function setup(buildSteps?: string[][]) {
  h = createHarness();
  const port = await freePort();
  const upstream = join(h.root, "upstream");
  const origin = join(h.root, "origin.git");
  const checkout = join(h.root, "srv", "app");
  mkdirSync(upstream);
  git(h.root, "init", "-q", "--bare", "-b", "main", origin);
  git(upstream, "init", "-q", "-b", "main");
  git(upstream, "remote", "add", "origin", origin);
  const commit = (version: string, status: number): string => {
    writeFileSync(join(upstream, "VERSION"), `${version}\n`);
    writeFileSync(join(upstream, "server.mjs"), server(status));
    writeFileSync(join(upstream, ".gitignore"), "built.txt\n");
    git(upstream, "add", "-A");
    git(upstream, "commit", "-q", "-m", version);
    git(upstream, "push", "-q", "origin", "main");
    return git(upstream, "rev-parse", "HEAD").trim();
  };
  const v1 = commit("v1", 200);
  git(h.root, "clone", "-q", origin, checkout);
  // The build step: copy VERSION to built.txt, which the server reports.
  const build = buildSteps ?? [
    [process.execPath, "-e", "require('node:fs').copyFileSync('VERSION','built.txt')"],
  ];
  writeFileSync(join(checkout, "built.txt"), "v1\n");
  h.unit("app", join(checkout, "server.mjs"), { env: { PORT: String(port) } });
  const inv = inventory({
    vms: {
      vm1: {
        services: [
          {
            name: "app",
            health: `http://127.0.0.1:${port}/health`,
            repo: { path: checkout, branch: "main", build },
          },
        ],
      },
    },
  });
  await h.adapters.systemd.start("app.service");
  return { handlers: createHandlers(h.adapters), ctx: h.ctx(inv), commit, v1, checkout, port };
}

const served = async (port: number) => {
  const r = await fetch(`http://127.0.0.1:${port}/health`);
  return `${r.status} ${await r.text()}`;
};

describe("deploy", () => {
  it("fast-forwards, builds, restarts and verifies a good commit", async () => {
    const { handlers, ctx, commit, v1, checkout, port } = await setup();
    const v2 = commit("v2", 200);
    const out = (await handlers.deploy?.({ service: "app" }, ctx)) as {
      previous: string;
      target: string;
      changed: boolean;
      verified: { ok: boolean };
    };
    expect(out).toMatchObject({ previous: v1, target: v2, changed: true, verified: { ok: true } });
    expect(git(checkout, "rev-parse", "HEAD").trim()).toBe(v2);
    expect(await served(port)).toBe("200 v2");
    const again = (await handlers.deploy?.({ service: "app" }, ctx)) as { changed: boolean };
    expect(again.changed).toBe(false);
  });

  it("rolls back to the previous commit, rebuilds and restarts when the new one fails its health check", async () => {
    const { handlers, ctx, commit, v1, checkout, port } = await setup();
    const bad = commit("v2-broken", 500);
    const err = await refusal(handlers.deploy?.({ service: "app" }, ctx));
    expect(err.code).toBe("deploy-rolled-back");
    expect(err.message).toMatch(/health check failed: HTTP 500/);
    expect(err.message).toMatch(/the service is up again/);
    expect(err.details).toMatchObject({
      previous: v1,
      target: bad,
      stage: "verify",
      rolledBack: true,
      afterRollback: { ok: true },
    });
    expect(git(checkout, "rev-parse", "HEAD").trim()).toBe(v1);
    expect(readFileSync(join(checkout, "built.txt"), "utf8")).toBe("v1\n");
    expect(await served(port)).toBe("200 v1");
  });

  it("rolls back when a build step fails, and refuses a dirty checkout or a diverged branch", async () => {
    const { handlers, ctx, commit, v1, checkout } = await setup([
      [
        process.execPath,
        "-e",
        "if(require('node:fs').readFileSync('VERSION','utf8').includes('bad')){console.error('compile error');process.exit(2)}",
      ],
    ]);
    commit("v2-bad", 200);
    const err = await refusal(handlers.deploy?.({ service: "app" }, ctx));
    expect(err.code).toBe("deploy-rolled-back");
    expect(err.details).toMatchObject({ stage: "build" });
    expect(err.message).toMatch(/compile error/);
    expect(git(checkout, "rev-parse", "HEAD").trim()).toBe(v1);
    writeFileSync(join(checkout, "VERSION"), "local edit\n");
    const dirty = await refusal(handlers.deploy?.({ service: "app" }, ctx));
    expect(dirty.code).toBe("checkout-dirty");
    git(checkout, "checkout", "-q", "--", "VERSION");
    git(checkout, "commit", "-q", "--allow-empty", "-m", "local only");
    const diverged = await refusal(handlers.deploy?.({ service: "app" }, ctx));
    expect(diverged.code).toBe("not-fast-forward");
  });

  it("refuses a service without a checkout and odd refs", async () => {
    const { handlers, ctx } = await setup();
    const noRepo = inventory({ vms: { vm1: { services: ["plain"] } } });
    expect((await refusal(handlers.deploy?.({ service: "plain" }, h.ctx(noRepo)))).code).toBe("no-repo");
    for (const ref of ["--upload-pack=evil", "a..b", "x;reboot"])
      expect((await refusal(handlers.deploy?.({ service: "app", ref }, ctx))).code).toBe("forbidden-ref");
    expect((await refusal(handlers.deploy?.({ service: "app", ref: "nope" }, ctx))).code).toBe("unknown-ref");
  });
});
