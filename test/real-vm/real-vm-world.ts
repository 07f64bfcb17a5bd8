/** The real-VM suite's inventory and bundle: what the installer gets on a fresh VM. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repo } from "../support/child.ts";

/** Builds dist/voxops-sidecar.mjs (the installer copies it; /usr/bin/node v20 runs it inside). */
export async function buildBundle(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repo, "deploy/build-sidecar.js")], { cwd: repo });
}

/** The inventory of the sandbox VM: a Node service deployed from git, a Python service, nginx. */
export function realVmInventory(ports: { node: number; py: number; nginx: number }) {
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
            configs: [{ path: "/etc/demo-node/demo.json", format: "json", apply: "restart" }],
            repo: { path: "/srv/demo-node", branch: "main", build: [["/usr/bin/node", "build.mjs"]] },
            backup: ["/srv/demo-node-data"],
          },
          { name: "demo-py", health: `http://127.0.0.1:${ports.py}/health`, backup: ["/srv/demo-py-data"] },
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
