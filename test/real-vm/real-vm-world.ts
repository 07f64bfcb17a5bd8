/** The real-VM suite's inventory and bundle: what the installer gets on a fresh VM. */
import { execFile } from "node:child_process";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { repo } from "../support/child.ts";

/** The unit of demo-imp: the import-app fixture as the user `demo`, not restarted by systemd. */
export function demoImpUnit(port: number): string {
  return `[Unit]
Description=demo-imp (a declared dependency is missing)
[Service]
User=demo
WorkingDirectory=/srv/demo-imp
Environment=PORT=${port}
ExecStart=/usr/bin/node /srv/demo-imp/server.mjs
`;
}

/** The unit of demo-space, as the user `demo`. */
export function demoSpaceUnit(script: string, port: number): string {
  return `[Unit]
Description=demo-space (fails with ENOSPC while its rotated logs fill the disk)
[Service]
User=demo
Environment=PORT=${port}
ExecStart=/usr/bin/node ${script}
`;
}

/**
 * Builds dist/voxops-sidecar.mjs (the installer copies it; /usr/bin/node v20 runs it inside). Several
 * test files build it, at the same time when workers run side by side: each writes its own file and
 * renames it into place, so an installer never copies a bundle another build is half-way through.
 */
export async function buildBundle(): Promise<void> {
  const bundle = join(repo, "dist", "voxops-sidecar.mjs");
  const own = join(repo, "dist", `voxops-sidecar.${process.pid}.mjs`);
  await promisify(execFile)(process.execPath, [join(repo, "deploy/build-sidecar.js"), own], { cwd: repo });
  await rename(own, bundle);
}

/** The inventory of the sandbox VM: a Node service deployed from git, a Python service, nginx. */
export function realVmInventory(ports: {
  node: number;
  py: number;
  nginx: number;
  imp: number;
  space: number;
}) {
  return {
    vms: {
      vm1: {
        role: "main",
        services: [
          {
            name: "demo-node",
            health: `http://127.0.0.1:${ports.node}/health`,
            port: ports.node,
            workdir: "/srv/demo-node",
            configs: [
              { path: "/etc/demo-node/demo.json", format: "json", apply: "restart" },
              // Declared but absent on the VM: a change creates it, a failed one must remove it again.
              { path: "/etc/demo-node/overrides.json", format: "json", apply: "restart" },
            ],
            repo: { path: "/srv/demo-node", branch: "main", build: [["/usr/bin/node", "build.mjs"]] },
            backup: ["/srv/demo-node-data"],
          },
          { name: "demo-py", health: `http://127.0.0.1:${ports.py}/health`, backup: ["/srv/demo-py-data"] },
          // A Node service whose declared dependency is not installed (test/fixtures/autofix/import-app).
          {
            name: "demo-imp",
            workdir: "/srv/demo-imp",
            manifest: "/srv/demo-imp/package.json",
            health: `http://127.0.0.1:${ports.imp}/health`,
            port: ports.imp,
          },
          // A service failing with ENOSPC while its rotated logs fill the disk (fixtures/demo-space.mjs).
          {
            name: "demo-space",
            health: `http://127.0.0.1:${ports.space}/`,
            port: ports.space,
            logs: ["/var/log/demo-space/app.log"],
          },
          {
            name: "demo-nginx",
            health: `http://127.0.0.1:${ports.nginx}/`,
            configs: [
              {
                path: "/etc/demo-nginx/nginx.conf",
                format: "nginx",
                check: ["/usr/sbin/nginx", "-t", "-q", "-c", "{file}"],
                apply: "reload",
              },
            ],
          },
        ],
      },
    },
    backup: { repo: "/srv/backup.git", branch: "main" },
  };
}
