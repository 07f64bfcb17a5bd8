/**
 * A VM as a user gets it, shared by the real-VM suites: a controller on this machine (a Node host), a
 * real systemd 252 (the shared sandbox) provisioned with real services (Node, Python, nginx), and the
 * sidecar installed by the real deploy/install-sidecar.sh, running under its hardened unit as the
 * `voxops` user and connected to the controller.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { repo } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";
import { buildBundle, demoImpUnit, demoSpaceUnit, realVmInventory } from "./real-vm-world.ts";

/** The admin API token of the controller (listed with `:noconfirm`). */
export const REAL_VM_TOKEN = "real-vm-admin-token-0001";
const KEY = "real-vm-key-of-vm1-00001";

/** The ports the provisioned services listen on, and any the caller asked for by name. */
export type RealVmPorts = { node: number; py: number; nginx: number; imp: number; space: number } & Record<
  string,
  number
>;

/** How a suite wants its VM. */
export interface InstalledVmOptions {
  /** The sandbox's label (its state directory's name). */
  readonly label: string;
  /** The `[Service]` lines of the sidecar unit's test drop-in (settings such as VOXOPS_AUTOFIX). */
  readonly sidecarService: string;
  /** Environment of the controller beside the tokens, keys and inventory (Telegram, approval mode). */
  readonly controllerEnv?: Readonly<Record<string, string>>;
  /** Names of further ports to pick (free on this machine). */
  readonly extraPorts?: readonly string[];
  /** Services the suite adds to vm1's inventory. */
  readonly extraServices?: (ports: RealVmPorts) => Record<string, unknown>[];
  /** vm1's `code` block (new services and scripts voxops may create), when the suite creates them. */
  readonly vmCode?: (ports: RealVmPorts) => Record<string, unknown>;
  /** Runs inside the provisioned VM before the sidecar is installed (units, files, mounts). */
  readonly prepare?: (sbx: SystemdSandbox, ports: RealVmPorts) => Promise<void>;
}

/** A running VM with its controller. */
export interface InstalledVm {
  readonly sbx: SystemdSandbox;
  readonly host: NodeHost;
  readonly ports: RealVmPorts;
  /** Calls the controller's HTTPS API as the admin token. */
  api(path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The body a service answers on 127.0.0.1 (empty when it does not answer). */
  get(port: number, path?: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds the bundle, starts the controller and the sandbox, provisions the services and installs the sidecar. */
export async function startInstalledVm(options: InstalledVmOptions): Promise<InstalledVm> {
  await buildBundle();
  const dir = mkdtempSync(join(tmpdir(), `voxops-${options.label}-`));
  const ports = {
    node: await freePort(),
    py: await freePort(),
    nginx: await freePort(),
    imp: await freePort(),
    space: await freePort(),
  } as RealVmPorts;
  for (const name of options.extraPorts ?? []) ports[name] = await freePort();
  const inventory = realVmInventory(ports);
  const vm1 = inventory.vms.vm1 as { services: Record<string, unknown>[]; code?: Record<string, unknown> };
  vm1.services.push(...(options.extraServices?.(ports) ?? []));
  if (options.vmCode) vm1.code = options.vmCode(ports);
  const host = await startNodeHost({
    config: readConfig({
      VOXOPS_API_TOKENS: `${REAL_VM_TOKEN}:admin:noconfirm`,
      VOXOPS_SIDECAR_KEYS: `vm1=${KEY}`,
      VOXOPS_INVENTORY: JSON.stringify(inventory),
    }),
    ...(options.controllerEnv ? { env: options.controllerEnv } : {}),
    port: 0,
    dbPath: join(dir, "controller.db"),
    defaultTimeoutMs: 60_000,
  });
  let sbx: SystemdSandbox | undefined;
  const vm: InstalledVm = {
    get sbx() {
      if (!sbx) throw new Error("the sandbox did not start");
      return sbx;
    },
    host,
    ports,
    async api(path, body) {
      const res = await fetch(`${host.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${REAL_VM_TOKEN}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    },
    async get(port, path = "/health") {
      const res = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
      return res ? await res.text() : "";
    },
    async close() {
      await sbx?.stop();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    sbx = await startSandbox(options.label);
    await provision(sbx, ports);
    await options.prepare?.(sbx, ports);
    await sbx.exec(["systemctl", "daemon-reload"]);
    await sbx.writeFile("/root/inventory.json", JSON.stringify(inventory, null, 2));
    await sbx.exec(["git", "init", "-q", "--bare", "-b", "main", "/srv/backup.git"]);
    await sbx.writeFile(
      "/etc/systemd/system/vm1-agent.service.d/test.conf",
      `[Service]\n${options.sidecarService}\n`,
    );
    const install = await sbx.run(
      [
        "bash",
        join(repo, "deploy/install-sidecar.sh"),
        "--vm",
        "vm1",
        "--controller",
        host.url,
        "--inventory",
        "/root/inventory.json",
        "--node",
        "/usr/bin/node",
      ],
      { env: { VOXOPS_SIDECAR_KEY: KEY }, timeoutMs: 120_000 },
    );
    if (install.code !== 0 || !install.stdout.includes("vm1-agent.service is active"))
      throw new Error(`the installer failed (${install.code}): ${install.stderr}${install.stdout}`);
    // The backup repository: a bare repository on the VM's disk that the voxops user may push to.
    await sbx.exec(["chown", "-R", "voxops:voxops", "/srv/backup.git"]);
    await waitFor(async () => (await vm.api("/agent/vm/status?vm=vm1")).body.vms?.[0]?.connected === true, {
      timeoutMs: 30_000,
      what: "the installed sidecar to connect",
    });
  } catch (e) {
    await vm.close();
    throw e;
  }
  return vm;
}

/** The services every real-VM suite has: provision.sh's, demo-imp and demo-space. */
async function provision(sbx: SystemdSandbox, ports: RealVmPorts): Promise<void> {
  const fixtures = join(repo, "test/real-vm/fixtures");
  await sbx.exec([join(fixtures, "provision.sh"), String(ports.node), String(ports.py), String(ports.nginx)]);
  await sbx.exec(["cp", "-r", join(repo, "test/fixtures/autofix/import-app"), "/srv/demo-imp"]);
  await sbx.exec(["chown", "-R", "demo:demo", "/srv/demo-imp"]);
  await sbx.writeFile("/etc/systemd/system/demo-imp.service", demoImpUnit(ports.imp));
  await sbx.writeFile(
    "/etc/systemd/system/demo-space.service",
    demoSpaceUnit(join(fixtures, "demo-space.mjs"), ports.space),
  );
  await sbx.exec(["install", "-d", "-o", "demo", "-g", "demo", "-m", "0755", "/var/log/demo-space"]);
  for (const [name, text] of [
    ["app.log", "today\n"],
    ["app.log.1", "yesterday\n"],
    ["app.log.2.gz", "older\n"],
  ] as const) {
    await sbx.writeFile(`/var/log/demo-space/${name}`, text);
    await sbx.exec(["chown", "demo:demo", `/var/log/demo-space/${name}`]);
  }
}
