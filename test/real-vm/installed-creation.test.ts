/**
 * Creating services and scripts on an installed VM (issue 13): the sidecar installed by the real
 * installer runs as `voxops`, so a new service and a script are made by the root helper through sudo,
 * and started and restarted through the real polkit rule, which lets `voxops` act only on
 * `voxops-made-*` units among those it did not declare. The model is the Anthropic stand-in (it
 * checks the key and speaks the real wire format); everything on the VM is real.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicReply, startAnthropicStandIn } from "../llm/anthropic-stand-in.ts";
import type { StandIn } from "../llm/stand-in-server.ts";
import type { SystemdSandbox } from "../support/systemd-sandbox.ts";
import { type InstalledVm, startInstalledVm } from "./installed-vm.ts";

const LLM_KEY = "sk-ant-stand-in-installed-create";

const echoServer = `const http = require("node:http");
http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(body.length > 0 ? body : "echo is up\\n");
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
`;

const helloScript = `#!/bin/bash
set -euo pipefail
echo "hello from $(id -un)"
`;

let vm: InstalledVm;
let sbx: SystemdSandbox;
let llm: StandIn;
let port: number;

const asVoxops = (argv: string[]) => sbx.run(argv, { user: "voxops" });
const post = async (body: string) => {
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: "POST",
    body,
    signal: AbortSignal.timeout(3000),
  }).catch(() => null);
  return res ? { status: res.status, body: await res.text() } : { status: 0, body: "" };
};

describe("creating services and scripts on the installed VM, through sudo and the polkit rule", () => {
  beforeAll(async () => {
    llm = await startAnthropicStandIn(LLM_KEY);
    vm = await startInstalledVm({
      label: "real-vm-create",
      sidecarService: "Environment=VOXOPS_AUTOFIX=off VOXOPS_HEARTBEAT_S=1 VOXOPS_BACKUP_EVERY_H=0",
      extraPorts: ["echo"],
      controllerEnv: {
        LLM_PROVIDER: "anthropic",
        LLM_API_KEY: LLM_KEY,
        LLM_BASE_URL: llm.url,
        LLM_MODEL: "claude-stand-in",
      },
      vmCode: (ports) => ({
        newServices: { root: "/srv/new", portRange: [ports["echo"], ports["echo"]] },
        scripts: { dir: "/opt/voxops-scripts", user: "opsjob" },
      }),
      prepare: async (s) => {
        await s.exec(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "opsjob"]);
        // A unit outside the prefix that the voxops user must not be able to start.
        await s.writeFile(
          "/etc/systemd/system/not-made.service",
          "[Service]\nType=oneshot\nExecStart=/usr/bin/touch /var/tmp/not-made-ran\n",
        );
      },
    });
    sbx = vm.sbx;
    port = vm.ports["echo"] ?? 0;
  }, 240_000);

  afterAll(async () => {
    await vm?.close();
    await llm?.close();
  }, 90_000);

  it("a new service is created by the helper, started, healthy, in status and restartable by voxops", async () => {
    llm.script(
      anthropicReply("", [
        {
          id: "n1",
          name: "propose_change",
          input: {
            summary: "An echo service: it answers with the request's body.",
            entry: "server.js",
            files: [{ path: "server.js", content: echoServer }],
          },
        },
      ]),
    );
    const ask = await vm.api("/agent/ask", {
      text: `create a service echo on port ${port} that answers with what it is sent`,
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.text).toContain("voxops-made-echo.service");
    expect((await sbx.run(["test", "-e", "/srv/new/echo"])).code).not.toBe(0);
    const created = await vm.api(`/agent/code/apply/${ask.body.confirmationId}`, {});
    expect(created.status, created.body.text).toBe(200);
    expect(created.body.text).toContain("echo");
    expect(await post("ping")).toEqual({ status: 200, body: "ping" });
    // Made by root (the helper), not by the sidecar's user: the unit file and the code are root's.
    expect(
      (await sbx.exec(["stat", "-c", "%U", "/etc/systemd/system/voxops-made-echo.service"])).trim(),
    ).toBe("root");
    expect((await sbx.exec(["systemctl", "is-active", "voxops-made-echo.service"])).trim()).toBe("active");
    const status = await vm.api("/agent/vm/status?vm=vm1&live=1");
    expect(JSON.stringify(status.body)).toContain("echo");
    // The polkit rule lets voxops restart what the helper made…
    const pid = async () =>
      (await sbx.exec(["systemctl", "show", "-p", "MainPID", "--value", "voxops-made-echo.service"])).trim();
    const before = await pid();
    const restart = await asVoxops(["systemctl", "restart", "voxops-made-echo.service"]);
    expect(restart.code, restart.stderr).toBe(0);
    expect(await pid()).not.toBe(before);
    // …but not stop it, nor start a unit outside the prefix, nor ssh.
    for (const argv of [
      ["systemctl", "stop", "voxops-made-echo.service"],
      ["systemctl", "start", "not-made.service"],
      ["systemctl", "stop", "ssh.service"],
    ]) {
      const r = await asVoxops(argv);
      expect(r.code, argv.join(" ")).not.toBe(0);
      expect(r.stderr).toMatch(/Access denied|Interactive authentication required/);
    }
    expect((await sbx.run(["test", "-e", "/var/tmp/not-made-ran"])).code).not.toBe(0);
    expect(await post("still")).toEqual({ status: 200, body: "still" });
  }, 180_000);

  it("a script is written by the helper, checked, and run once as its user with its output", async () => {
    llm.script(
      anthropicReply("", [
        {
          id: "s1",
          name: "propose_change",
          input: {
            summary: "A script that says hello.",
            name: "say-hello",
            files: [{ path: "script.sh", content: helloScript }],
          },
        },
      ]),
    );
    const ask = await vm.api("/agent/ask", { text: "write a script say-hello that prints hello" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    const created = await vm.api(`/agent/code/apply/${ask.body.confirmationId}`, {});
    expect(created.status, created.body.text).toBe(200);
    expect(created.body.text).toContain("/opt/voxops-scripts/say-hello.sh");
    expect(created.body.text).toContain("bash -n");
    expect((await sbx.exec(["stat", "-c", "%U", "/opt/voxops-scripts/say-hello.sh"])).trim()).toBe("root");
    const runId = created.body.runConfirmationId as string;
    expect(runId).toBeTruthy();
    const ran = await vm.api(`/agent/code/apply/${runId}`, {});
    expect(ran.status, ran.body.text).toBe(200);
    // Its output, from the journal (as the script's own user): the sidecar waits for journald to have it.
    expect(ran.body.text).toContain("hello from opsjob");
  }, 180_000);

  it("the helper refuses, as voxops through sudo, a name that would make a unit outside the prefix", async () => {
    const r = await asVoxops([
      "sudo",
      "-n",
      "/usr/lib/voxops/voxops-helper",
      "create-service",
      "../ssh",
      String(port),
      "server.js",
      "/",
      "/var/lib/voxops/staging/x",
    ]);
    expect(r.code).toBe(3);
    expect((await sbx.run(["test", "-e", "/etc/systemd/system/voxops-made-..service"])).code).not.toBe(0);
  }, 60_000);
});
