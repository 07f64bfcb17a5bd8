import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repo } from "../support/child.ts";

const root = mkdtempSync(join(tmpdir(), "voxops-install-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const inventory = join(root, "inventory.json");
writeFileSync(
  inventory,
  JSON.stringify({
    vms: {
      vm1: {
        role: "main",
        services: [
          { name: "nginx", configs: [{ path: "/etc/nginx/nginx.conf" }] },
          // Its source root for code changes is writable through the unit for the helper, never created.
          {
            name: "admin-api",
            repo: { path: "/srv/admin-api" },
            backup: ["/srv/admin-api-data"],
            code: { root: "/srv/admin-api-src" },
          },
        ],
      },
    },
  }),
);

function install(env: Record<string, string>, args: string[]) {
  return spawnSync("bash", [join(repo, "deploy", "install-sidecar.sh"), ...args], {
    env: { ...process.env, VOXOPS_DESTDIR: join(root, "fs"), ...env },
    encoding: "utf8",
  });
}

describe("deploy/install-sidecar.sh", () => {
  it("installs the unit, bundle, env and polkit rule, then changes nothing on a second run", () => {
    const args = [
      "--vm",
      "vm1",
      "--controller",
      "https://voxops.example.workers.dev",
      "--controller",
      "https://voxops-mirror.fly.dev",
      "--inventory",
      inventory,
      "--node",
      "/usr/bin/node",
    ];
    const first = install({ VOXOPS_SIDECAR_KEY: "key-of-vm1-0123456789" }, args);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const fs = join(root, "fs");
    const unit = readFileSync(join(fs, "etc/systemd/system/vm1-agent.service"), "utf8");
    expect(unit).toBe(readFileSync(join(repo, "deploy", "vm1-agent.service"), "utf8"));
    expect(unit).toContain("User=voxops");
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("ExecStart=/usr/bin/node ");
    expect(unit).toContain("Environment=VOXOPS_HELPER=/usr/lib/voxops/voxops-helper");
    expect(unit).toContain("ProtectSystem=strict");
    const env = readFileSync(join(fs, "etc/voxops/sidecar.env"), "utf8");
    expect(env).toBe(
      "VOXOPS_SIDECAR_KEY=key-of-vm1-0123456789\nVOXOPS_CONTROLLERS=https://voxops.example.workers.dev,https://voxops-mirror.fly.dev\n",
    );
    expect(statSync(join(fs, "etc/voxops/sidecar.env")).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(fs, "etc/systemd/system/vm1-agent.service.d/paths.conf"), "utf8")).toContain(
      "ReadWritePaths=-/var/lib/voxops -/var/log/journal -/run/log/journal -/etc/nginx -/srv/admin-api -/srv/admin-api-data -/srv/admin-api-src\n",
    );
    expect(statSync(join(fs, "srv"), { throwIfNoEntry: false })?.isDirectory()).toBe(true);
    expect(statSync(join(fs, "srv/admin-api-src"), { throwIfNoEntry: false })).toBeUndefined();
    // The polkit rule names this VM's units only; sudo lets voxops run the helper and nothing else.
    const rule = readFileSync(join(fs, "etc/polkit-1/rules.d/50-voxops.rules"), "utf8");
    expect(rule).toContain('var VOXOPS_UNITS = ["nginx.service","admin-api.service"];');
    expect(rule).not.toContain('"stop"');
    expect(readFileSync(join(fs, "etc/sudoers.d/voxops"), "utf8")).toContain(
      "voxops ALL=(root) NOPASSWD: /usr/lib/voxops/voxops-helper\n",
    );
    expect(readFileSync(join(fs, "usr/lib/voxops/voxops-helper"), "utf8")).toContain(
      "exec /usr/bin/node /opt/voxops/voxops-sidecar.mjs helper --vm vm1 --inventory /etc/voxops/inventory.json",
    );
    // Declared directories that did not exist are created so the unit can start.
    expect(statSync(join(fs, "srv/admin-api-data")).isDirectory()).toBe(true);
    expect(first.stdout).toContain("Check it: sudo runuser -u voxops --");
    expect(statSync(join(fs, "opt/voxops/voxops-sidecar.mjs")).size).toBeGreaterThan(10_000);

    const second = install({}, ["--vm", "vm1", "--node", "/usr/bin/node"]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("nothing to change");
    expect(readFileSync(join(fs, "etc/voxops/sidecar.env"), "utf8")).toBe(env);
    // Two full installs (each may rebuild the bundle with esbuild) on a busy 2-core machine.
  }, 120_000);

  it("refuses a VM name with shell characters and a missing key", () => {
    const bad = install({}, ["--vm", "vm1;reboot", "--controller", "https://x.example"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--vm NAME is required");
    const noKey = spawnSync(
      "bash",
      [join(repo, "deploy", "install-sidecar.sh"), "--vm", "vm2", "--controller", "https://x.example"],
      {
        env: { ...process.env, VOXOPS_DESTDIR: join(root, "fresh"), VOXOPS_SIDECAR_KEY: "" },
        encoding: "utf8",
      },
    );
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain("VOXOPS_SIDECAR_KEY must be set");
  });

  it("refuses polkit 0.105, whose .pkla files cannot limit the sidecar to the inventory's units", () => {
    const old = install({ VOXOPS_SIDECAR_KEY: "key-of-vm1-0123456789", VOXOPS_POLKIT_VERSION: "0.105" }, [
      "--vm",
      "vm1",
      "--controller",
      "https://x.example",
      "--inventory",
      inventory,
    ]);
    expect(old.status).toBe(2);
    expect(old.stderr).toContain("polkit 0.105 reads only .pkla files");
    expect(old.stderr).toContain("Refusing to install");
  });

  it("says exactly how to get a newer Node when the one given is too old", () => {
    const fake = join(root, "old-node");
    writeFileSync(fake, "#!/bin/sh\necho 18\n", { mode: 0o755 });
    const r = install({ VOXOPS_SIDECAR_KEY: "key-of-vm1-0123456789" }, [
      "--vm",
      "vm1",
      "--controller",
      "https://x.example",
      "--node",
      fake,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is Node.js 18, too old");
    expect(r.stderr).toContain("deb.nodesource.com");
  });

  it("keeps the two committed units identical to the template", () => {
    const template = readFileSync(join(repo, "deploy/systemd/agent.service.in"), "utf8");
    for (const vm of ["vm1", "vm2"]) {
      expect(readFileSync(join(repo, `deploy/${vm}-agent.service`), "utf8")).toBe(
        template.replaceAll("@VM@", vm).replaceAll("@NODE@", "/usr/bin/node"),
      );
    }
  });
});

describe("wrangler.toml", () => {
  it("is accepted by wrangler deploy --dry-run", () => {
    const out = join(root, "wrangler-out");
    const result = spawnSync(
      join(repo, "node_modules/.bin/wrangler"),
      ["deploy", "--dry-run", "--outdir", out],
      {
        cwd: repo,
        env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("FLEET");
    expect(execFileSync("ls", [out], { encoding: "utf8" })).toContain("worker.js");
  });
});
