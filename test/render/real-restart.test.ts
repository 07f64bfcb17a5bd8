/**
 * Replies from real outputs, end to end: a real sidecar process runs inside the systemd sandbox (real
 * systemd 252 and journald, test/support/systemd-sandbox.ts) connected to a real Node controller on
 * 127.0.0.1. A unit that fails to start is restarted through the API, and the reply shows its journal
 * lines; the real `metrics` output shows each mount point and swap, in Russian and in English.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../edge/core/config.ts";
import { type NodeHost, startNodeHost } from "../../edge/node/server.ts";
import { latinOnlySentences } from "../support/latin-only-sentences.ts";
import { installUnit, type SystemdSandbox, startSandbox } from "../support/systemd-sandbox.ts";
import { waitFor } from "../support/wait-for.ts";

const repo = resolve(import.meta.dirname, "..", "..");
const node24 = join(repo, "node_modules", "node", "bin", "node");
const TOKEN = "render-admin-token-00001";
const KEY = "render-sidecar-key-of-vm1";

describe("replies from a real sidecar under real systemd", { timeout: 120_000 }, () => {
  let sbx: SystemdSandbox;
  let host: NodeHost;
  let dir: string;
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${host.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as { text: string; results?: unknown[] };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "voxops-render-"));
    const inventory = JSON.stringify({ vms: { vm1: { role: "main", services: ["ledger"] } } });
    host = await startNodeHost({
      config: readConfig(
        { VOXOPS_API_TOKENS: `${TOKEN}:admin`, VOXOPS_SIDECAR_KEYS: `vm1=${KEY}` },
        inventory,
      ),
      port: 0,
      hostname: "127.0.0.1",
      dbPath: join(dir, "controller.db"),
      defaultTimeoutMs: 60_000,
    });
    sbx = await startSandbox("render-restart");
    await sbx.writeFile("/etc/voxops/inventory.json", inventory);
    // A service that dies at start the way a misconfigured one does: a line on stdout, the error on stderr.
    await installUnit(
      sbx,
      "ledger.service",
      [
        "[Service]",
        'ExecStart=/bin/sh -c \'echo "ledger: loading /srv/ledger/settings.toml"; echo "KeyError: DATABASE_URL is not set" >&2; exit 3\'',
        "",
      ].join("\n"),
    );
    await installUnit(
      sbx,
      "voxops-sidecar.service",
      [
        "[Service]",
        `Environment=VOXOPS_SIDECAR_KEY=${KEY}`,
        "Environment=VOXOPS_HEARTBEAT_S=0.5",
        "Environment=VOXOPS_QUIET=1",
        `ExecStart=${node24} ${join(repo, "bin", "voxops.js")} sidecar --controller ${host.url} --vm vm1 --state-dir /var/lib/voxops --inventory /etc/voxops/inventory.json`,
        "",
      ].join("\n"),
    );
    await sbx.exec(["systemctl", "start", "voxops-sidecar.service"]);
    await waitFor(() => host.controller.connected("vm1"), {
      timeoutMs: 60_000,
      what: "the sidecar to connect",
    });
  }, 120_000);
  afterAll(async () => {
    await sbx?.stop();
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a failed restart shows the unit's journal lines, in the operator's language", async () => {
    for (const lang of ["ru", "en"] as const) {
      const reply = await api("/agent/service/restart", { vm: "vm1", service: "ledger", lang });
      expect(reply.text).toContain("KeyError: DATABASE_URL is not set");
      expect(reply.text).toContain("ledger: loading /srv/ledger/settings.toml");
      if (lang === "ru") {
        expect(reply.text).toMatch(/❌ ledger на vm1 не поднялся после перезапуска/);
        expect(reply.text).toMatch(/Последние строки его журнала \(\d+\):/);
        expect(latinOnlySentences(reply.text)).toEqual([]);
      } else {
        expect(reply.text).toMatch(/❌ ledger on vm1 did not come up after the restart/);
        expect(reply.text).toMatch(/The last \d+ lines of its journal:/);
      }
    }
  });

  it("the real metrics name each mount point and the swap, in both languages", async () => {
    const ru = await api("/agent/metrics?vm=vm1&lang=ru");
    const mounts =
      ru.text.match(/^Диск (\/\S*): занято [\d.]+ из [\d.]+ ГиБ \(\d+ %\), свободно [\d.]+ ГиБ\.$/gm) ?? [];
    expect(mounts.length).toBeGreaterThan(0);
    expect(ru.text).toMatch(/^Диск \/: /m);
    expect(ru.text).toMatch(/^(Своп: занято [\d.]+ из [\d.]+ ГиБ\.|Свопа на этой VM нет\.)$/m);
    expect(ru.text).toMatch(/^Память: занято [\d.]+ из [\d.]+ ГиБ, доступно [\d.]+ ГиБ\.$/m);
    expect(latinOnlySentences(ru.text)).toEqual([]);
    const en = await api("/agent/metrics?vm=vm1&lang=en");
    expect(en.text).toMatch(/^Disk \/: [\d.]+ of [\d.]+ GiB used \(\d+ %\), [\d.]+ GiB free\.$/m);
    expect(en.text).toMatch(/^(Swap: [\d.]+ of [\d.]+ GiB used\.|This VM has no swap\.)$/m);
  });
});
