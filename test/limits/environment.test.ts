// The local run's processes get only the variables they need: `voxops start` (a real child process)
// starts the sidecar, the sidecar starts systemctl (here a script that records its environment), and
// neither the sidecar nor its child sees an API token, another VM's key, the bot token, the webhook
// secret, the LLM key or any other secret of the controller's environment.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { childEnvironment } from "../../protocol/settings/child-environment.ts";
import { spawnNode, stopAll } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { waitFor } from "../support/wait-for.ts";

const dir = mkdtempSync(join(tmpdir(), "voxops-env-"));
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const secrets = {
  VOXOPS_API_TOKEN: "env-test-admin-token-000000001",
  VOXOPS_API_TOKENS: "env-test-viewer-token-00000002:viewer",
  VOXOPS_SIDECAR_KEYS: "vm9=env-test-other-vm-key-000003",
  VOXOPS_PEER_KEY: "env-test-peer-hmac-key-0000004",
  TELEGRAM_WEBHOOK_SECRET: "env-test-webhook-secret-00005",
  LLM_API_KEY: "sk-env-test-llm-key-000000006",
  STT_API_KEY: "sk-env-test-stt-key-000000007",
  OCI_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----env-test-000008",
  GITHUB_TOKEN: "ghp_envtest000000000000000009",
  AWS_SECRET_ACCESS_KEY: "env-test-aws-secret-00000010",
  npm_config__authToken: "env-test-npm-token-0000000011",
};

/** The environment of a process from /proc, as a map. */
function environOf(pid: number): Map<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, "utf8");
  return new Map(
    raw
      .split("\0")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}

describe("the environment of the processes voxops starts", () => {
  it("keeps every secret of the controller away from the local sidecar and what it runs", async () => {
    const dump = join(dir, "systemctl-env.txt");
    const child = spawnNode("bin/voxops.js", ["start"], {
      ...secrets,
      PORT: String(await freePort()),
      VOXOPS_HOME: join(dir, "home"),
      VOXOPS_QUIET: "1",
      VOXOPS_HEARTBEAT_S: "0.5",
      VOXOPS_SYSTEMCTL: join(import.meta.dirname, "fixtures", "env-dump.sh"),
      VOXOPS_ENV_DUMP: dump,
      LANG: "C.UTF-8",
    });
    await waitFor(() => existsSync(dump), { timeoutMs: 30_000, what: "the sidecar to run systemctl" });
    const text = readFileSync(dump, "utf8");
    const ownKey = JSON.parse(readFileSync(join(dir, "home", "local.json"), "utf8")).sidecarKey as string;
    const sidecarPid = Number(/^PARENT_PID=(\d+)$/m.exec(text)?.[1]);
    const sidecar = environOf(sidecarPid);
    // The sidecar has its own key and its settings, and nothing else secret.
    expect(sidecar.get("VOXOPS_SIDECAR_KEY")).toBe(ownKey);
    expect(sidecar.get("PATH")).toBe(process.env["PATH"]);
    expect(sidecar.get("LANG")).toBe("C.UTF-8");
    const sidecarText = [...sidecar].map(([k, v]) => `${k}=${v}`).join("\n");
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, inSidecar: sidecarText.includes(value) }).toEqual({ name, inSidecar: false });
      expect({ name, inChild: text.includes(value) }).toEqual({ name, inChild: false });
    }
    // The child of the sidecar does not get the sidecar's key either.
    expect(text).not.toContain(ownKey);
    expect(text).toMatch(/^PATH=/m);
    expect(text).toMatch(/^VOXOPS_ENV_DUMP=/m);
    await child.stop("SIGTERM");
  });

  it("passes the base variables and build tools' settings, never a name that says secret", () => {
    const env = childEnvironment({
      PATH: "/usr/bin",
      HOME: "/root",
      LC_ALL: "C",
      npm_config_cache: "/var/cache/npm",
      npm_config__authToken: "x",
      VOXOPS_STATE_DIR: "/var/lib/voxops",
      VOXOPS_SIDECAR_KEY: "k",
      VOXOPS_PEER_KEY: "p",
      MY_APP_PASSWORD: "p",
      DATABASE_URL: "postgres://u:p@h/db",
      LD_PRELOAD: "/tmp/evil.so",
      NODE_OPTIONS: "--require /tmp/evil.js",
    });
    expect(env).toEqual({
      PATH: "/usr/bin",
      HOME: "/root",
      LC_ALL: "C",
      npm_config_cache: "/var/cache/npm",
      VOXOPS_STATE_DIR: "/var/lib/voxops",
    });
  });
});
