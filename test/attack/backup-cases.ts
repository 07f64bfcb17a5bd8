/**
 * Secrets in backups: a real sidecar (vm4) backs up paths full of secret-looking files and values
 * (`.env`, private keys, tokens and passwords inside config files, the sidecar's own key file, a
 * script carrying the controller's admin token) into a real bare repository; then every object of
 * that repository — every commit, tree and blob, reachable or not — is searched for each planted
 * secret and for every secret of the controller. A find is `leaked`. The harmless files must be
 * there, or the backup did not run and finding nothing would prove nothing.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { JOURNALCTL, SYSTEMCTL } from "../sidecar-actions/harness.ts";
import { repo } from "../support/child.ts";
import { call } from "./http-cases.ts";
import type { Tally } from "./tally.ts";
import type { World } from "./world.ts";

const rand = () => crypto.randomUUID().replaceAll("-", "");

/** The files a VM's declared paths hold, and the secrets planted in them (by name). */
function plant(root: string, world: World): Record<string, string> {
  const secrets = {
    "a .env value": `envpass-${rand()}`,
    "a private key": rand(),
    "a password in a YAML config": `yamlpw-${rand()}`,
    "an API token in a YAML config": `tok_${rand()}`,
    "a token in a declared config file": `cfgtok-${rand()}`,
    "a client secret in JSON": `cs-${rand()}`,
    "a Telegram bot token in notes": `123456789:AA${rand()}x`,
    "a basic-auth password in a URL": `urlpw${rand()}`,
  };
  const files: Record<string, string> = {
    "srv/app/.env": `DB_PASSWORD=${secrets["a .env value"]}\n`,
    "srv/app/keys/deploy.pem": `-----BEGIN PRIVATE KEY-----\n${secrets["a private key"]}\n-----END PRIVATE KEY-----\n`,
    "srv/app/settings.yml": `database:\n  host: 127.0.0.1\n  password: ${secrets["a password in a YAML config"]}\napi_token: "${secrets["an API token in a YAML config"]}"\n`,
    "etc/app/app.conf": `listen 8080\nupstream_token = ${secrets["a token in a declared config file"]}\n`,
    "srv/app/oauth.json": `{"client_id": "voxops", "client_secret": "${secrets["a client secret in JSON"]}"}\n`,
    "srv/app/notes.txt": `the bot: ${secrets["a Telegram bot token in notes"]}\n`,
    "srv/app/mirror.conf": `remote = https://backup:${secrets["a basic-auth password in a URL"]}@example.com/repo.git\n`,
    // The controller's own secrets where an operator might leave them.
    "etc/voxops/sidecar.env": `VOXOPS_SIDECAR_KEY=${world.keys.vm4}\n`,
    "srv/app/deploy.sh": `#!/bin/sh\ncurl -H "Authorization: Bearer ${world.tokens.admin}" http://127.0.0.1/agent/health\n`,
    "srv/app/tunnel.ini": `[tunnel]\nwebhook = ${world.webhookSecret}\nllm_key = ${world.llmKey}\n`,
    // What a backup is for: these must arrive.
    "srv/app/readme.txt": "harmless notes\n",
    "etc/app/mime.types": "text/html html\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return secrets;
}

/** Every object in the bare repository (commits with their messages, trees, blobs), as text. */
function everyObject(bare: string): string {
  return execFileSync("git", ["-C", bare, "cat-file", "--batch-all-objects", "--batch"], {
    maxBuffer: 256 * 1024 * 1024,
  }).toString("latin1");
}

/** Starts vm4's real sidecar (the stand-in systemd; this test's own state directory). */
function startSidecar(world: World): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(
    process.execPath,
    [
      join(repo, "bin", "voxops.js"),
      "sidecar",
      "--controller",
      world.base,
      "--vm",
      "vm4",
      "--state-dir",
      join(world.dir, "state-vm4"),
      "--inventory",
      world.inventoryFile,
    ],
    {
      cwd: world.dir,
      env: {
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
        HOME: world.dir,
        VOXOPS_SIDECAR_KEY: world.keys.vm4,
        VOXOPS_SYSTEMCTL: SYSTEMCTL,
        VOXOPS_JOURNALCTL: JOURNALCTL,
        VOXOPS_STANDIN_DIR: join(world.dir, "systemd-vm4"),
        VOXOPS_QUIET: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  return { child, output: () => out };
}

/** Runs the backup group: one real backup, then every object searched for every secret. */
export async function runBackupCases(world: World, tally: Tally): Promise<void> {
  const planted = plant(world.vm4Root, world);
  const sidecar = startSidecar(world);
  try {
    await world.waitConnected("vm4");
    let answer = await call(world, "POST", "/agent/backup", { body: { vm: "vm4", reason: "attack" } });
    const pending = answer.json?.["confirmationId"];
    if (typeof pending === "string") answer = await call(world, "POST", `/agent/confirmations/${pending}`);
    const text = everyObject(world.backupRepo);
    const ran = answer.status === 200 && text.includes("harmless notes") && text.includes("text/html html");
    tally.record({
      group: "secrets",
      name: "a backup of paths holding secrets ran and holds the harmless files",
      ...(ran
        ? { verdict: "accepted" as const }
        : { verdict: "wrong" as const, note: `${answer.status} ${answer.text.slice(0, 300)}` }),
    });
    const controllerSecrets: Record<string, string> = {
      "the admin token": world.tokens.admin,
      "vm4's sidecar key": world.keys.vm4,
      "the webhook secret": world.webhookSecret,
      "the LLM key": world.llmKey,
      ...Object.fromEntries(world.secrets.map((s, i) => [`controller secret ${i + 1}`, s])),
    };
    const output = sidecar.output();
    for (const [name, secret] of Object.entries({ ...planted, ...controllerSecrets })) {
      const inRepo = text.includes(secret);
      const inLog = output.includes(secret) || answer.text.includes(secret);
      tally.record({
        group: "secrets",
        name: `${name} in the backup repository (every commit and blob) and the backup's answer`,
        ...(inRepo || inLog
          ? {
              verdict: "leaked" as const,
              note: inRepo ? "found in the backup repository" : "found in the answer or log",
            }
          : { verdict: "refused" as const }),
      });
    }
  } finally {
    sidecar.child.kill("SIGKILL");
  }
}
