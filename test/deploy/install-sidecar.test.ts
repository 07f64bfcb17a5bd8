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
          { name: "admin-api", repo: { path: "/srv/admin-api" } },
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
    ];
    const first = install({ VOXOPS_SIDECAR_KEY: "key-of-vm1-0123456789" }, args);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const fs = join(root, "fs");
    const unit = readFileSync(join(fs, "etc/systemd/system/vm1-agent.service"), "utf8");
    expect(unit).toBe(readFileSync(join(repo, "deploy", "vm1-agent.service"), "utf8"));
    expect(unit).toContain("User=voxops");
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("NoNewPrivileges=yes");
    const env = readFileSync(join(fs, "etc/voxops/sidecar.env"), "utf8");
    expect(env).toBe(
      "VOXOPS_SIDECAR_KEY=key-of-vm1-0123456789\nVOXOPS_CONTROLLERS=https://voxops.example.workers.dev,https://voxops-mirror.fly.dev\n",
    );
    expect(statSync(join(fs, "etc/voxops/sidecar.env")).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(fs, "etc/systemd/system/vm1-agent.service.d/paths.conf"), "utf8")).toContain(
      "ReadWritePaths=-/var/lib/voxops /etc/nginx /srv/admin-api",
    );
    expect(statSync(join(fs, "opt/voxops/voxops-sidecar.mjs")).size).toBeGreaterThan(10_000);

    const second = install({}, ["--vm", "vm1"]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("nothing to change");
    expect(readFileSync(join(fs, "etc/voxops/sidecar.env"), "utf8")).toBe(env);
  });

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

  it("keeps the two committed units identical to the template", () => {
    const template = readFileSync(join(repo, "deploy/systemd/agent.service.in"), "utf8");
    for (const vm of ["vm1", "vm2"]) {
      expect(readFileSync(join(repo, `deploy/${vm}-agent.service`), "utf8")).toBe(
        template.replaceAll("@VM@", vm),
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
