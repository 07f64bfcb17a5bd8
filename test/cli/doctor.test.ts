/**
 * `voxops doctor` off a VM and its pieces: the Node it takes from the installed unit, how it becomes
 * the `voxops` user, and the sentence it prints where no sidecar is installed (a real
 * `node bin/voxops.js` process). The doctor on an installed sidecar: test/real-vm/installed-sidecar.test.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { asVoxops, unitNode } from "../../edge/cli/doctor.ts";

const repo = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "voxops-doctor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const voxops = (args: string[]) =>
  spawnSync(process.execPath, [join(repo, "bin", "voxops.js"), "doctor", ...args], {
    cwd: repo,
    encoding: "utf8",
    timeout: 20_000,
  });

describe("voxops doctor", () => {
  it("takes the Node the installed unit runs, not the first on PATH", () => {
    expect(
      unitNode(
        "[Service]\nUser=voxops\nExecStart=/usr/local/bin/node --no-maglev /opt/voxops/x.mjs --vm vm1\n",
      ),
    ).toBe("/usr/local/bin/node");
    expect(unitNode("[Service]\nExecStart=node x.mjs\n")).toBeUndefined();
    expect(unitNode("[Service]\n")).toBeUndefined();
  });

  it("becomes voxops by runuser as root, by sudo runuser otherwise, and not at all as voxops", () => {
    const argv = ["/usr/bin/node", "/opt/voxops/voxops-sidecar.mjs", "doctor", "--vm", "vm1"];
    expect(asVoxops(argv, "root")).toEqual(["runuser", "-u", "voxops", "--", ...argv]);
    expect(asVoxops(argv, "alice")).toEqual(["sudo", "runuser", "-u", "voxops", "--", ...argv]);
    expect(asVoxops(argv, "voxops")).toEqual(argv);
  });

  it("says where the sidecar is not installed and how to install it", () => {
    const run = voxops(["--vm", "vm9", "--unit-dir", dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `the sidecar for vm9 is not installed on this machine (no ${dir}/vm9-agent.service`,
    );
    expect(run.stderr).toContain("deploy/install-sidecar.sh --vm vm9");
    writeFileSync(join(dir, "vm9-agent.service"), "[Service]\nExecStart=/usr/bin/node /x.mjs --vm vm9\n");
    const noBundle = voxops(["--vm", "vm9", "--unit-dir", dir, "--bundle", join(dir, "missing.mjs")]);
    expect(noBundle.status).toBe(1);
    expect(noBundle.stderr).toContain(`(no ${join(dir, "missing.mjs")})`);
  });

  it("asks for the VM's name and refuses one that is not a name", () => {
    for (const args of [[], ["--vm", "../etc"]]) {
      const run = voxops(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("name the VM with --vm NAME");
    }
  });
});
