import { describe, expect, it } from "vitest";
import { backupSources, originalPath, repoPathOf } from "./backup-layout.ts";
import { parseJournalJson } from "./journal-entry.ts";
import { secretContent, secretName } from "./secret-scan.ts";
import { parseShow, parseSystemdTimestamp } from "./systemd.ts";

describe("systemctl show", () => {
  it("parses several units, unset values and systemd's infinity", () => {
    const text = [
      "Id=a.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=42\nActiveEnterTimestamp=Tue 2024-11-26 10:11:12 UTC\nMemoryCurrent=1048576\nNRestarts=2",
      "Id=b.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\nActiveEnterTimestamp=\nMemoryCurrent=18446744073709551615",
    ].join("\n\n");
    const [a, b] = parseShow(text, ["a.service", "b.service"]);
    expect(a).toMatchObject({
      loaded: true,
      activeState: "active",
      mainPid: 42,
      memoryB: 1_048_576,
      restarts: 2,
    });
    expect(a?.since).toBe(Date.UTC(2024, 10, 26, 10, 11, 12));
    expect(b).toMatchObject({ loaded: false, mainPid: null, since: null, memoryB: null });
    expect(parseSystemdTimestamp("n/a")).toBeNull();
  });
});

describe("journal JSON", () => {
  it("reads string, byte-array and missing fields", () => {
    const e = parseJournalJson(
      JSON.stringify({
        __REALTIME_TIMESTAMP: "1700000000123456",
        PRIORITY: "3",
        _SYSTEMD_UNIT: "x.service",
        _PID: "9",
        MESSAGE: [104, 105],
      }),
    );
    expect(e).toEqual({
      at: 1_700_000_000_123,
      priority: 3,
      unit: "x.service",
      pid: 9,
      identifier: "",
      message: "hi",
    });
    expect(parseJournalJson("not json")).toBeNull();
    expect(parseJournalJson(JSON.stringify({ MESSAGE: "no time" }))).toBeNull();
  });
});

describe("secret scan", () => {
  it("recognises secret names and contents", () => {
    for (const name of [
      ".env",
      ".env.production",
      "prod.env",
      "server.pem",
      "tls.key",
      "id_rsa",
      "id_ed25519.pub",
      "bot-token.txt",
      "client_secret.json",
      "credentials.json",
      ".netrc",
      "passwords.txt",
    ])
      expect({ name, hit: secretName(name) !== null }).toEqual({ name, hit: true });
    for (const name of ["nginx.conf", "config.json", "README.md", "keys.txt.bak2", "environment.ts"])
      expect({ name, hit: secretName(name) !== null }).toEqual({ name, hit: false });
    expect(secretContent("x\n-----BEGIN RSA PRIVATE KEY-----\nabc")).toMatch(/private key/);
    expect(secretContent("token: 1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1")).toMatch(/Telegram/);
    expect(secretContent("server { listen 80; }")).toBeNull();
  });

  it("recognises secret values in config files of every syntax, and leaves ordinary settings alone", () => {
    for (const text of [
      "DB_PASSWORD=s3cretValue9",
      "database:\n  password: yamlpw-4f9a8b7c",
      'api_token: "tok_0a1b2c3d4e"',
      "upstream_token = cfgtok-77aa88bb",
      '{"client_secret": "cs-9d8c7b6a5f"}',
      "VOXOPS_SIDECAR_KEY=4f1e2d3c4b5a69788796a5b4",
      "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
      'curl -H "Authorization: Bearer 0f1e2d3c4b5a69788796a5b4c3d2e1f0"',
      "remote = https://backup:pw12345678@example.com/repo.git",
    ])
      expect({ text, hit: secretContent(text) !== null }).toEqual({ text, hit: true });
    for (const text of [
      "server { listen 80; ssl_certificate_key /etc/ssl/private/site.key; }",
      "password: $DB_PASSWORD",
      "token: {{ vault_token }}",
      "interface User { password: string; token: string }",
      "const token = process.env.TOKEN;",
      "max_tokens: 4096\ntoken_ttl: 3600",
      "api_key_file = /etc/app/api.key",
      "https://example.com:8443/path",
    ])
      expect({ text, hit: secretContent(text) !== null }).toEqual({ text, hit: false });
  });
});

describe("backup layout", () => {
  it("maps paths both ways and only under configured roots", () => {
    const sources = backupSources(
      {
        name: "vm1",
        role: "",
        aliases: [],
        autoReset: true,
        backup: ["/etc/motd"],
        services: [
          {
            name: "grok-voice",
            aliases: [],
            configs: [{ path: "/etc/nginx/nginx.conf", format: "nginx", apply: "reload" }],
            backup: ["/opt/grok-voice/data"],
            logs: [],
          },
          { name: "files", aliases: [], configs: [], backup: ["/srv/files"], logs: [] },
        ],
      },
      { unitFiles: ["/etc/systemd/system/grok-voice.service"], agentPaths: ["/etc/voxops/sidecar.json"] },
    );
    expect(sources.map((s) => s.target)).toEqual([
      "vm1/configs/etc/nginx/nginx.conf",
      "vm1/grok-voice/opt/grok-voice/data",
      "vm1/_files/srv/files",
      "vm1/services/grok-voice.service",
      "vm1/files/etc/motd",
      "agent/vm1/etc/voxops/sidecar.json",
    ]);
    expect(originalPath("vm1/grok-voice/opt/grok-voice/data/a/b.json", sources)).toBe(
      "/opt/grok-voice/data/a/b.json",
    );
    expect(originalPath("vm1/grok-voice/opt/grok-voice/database", sources)).toBeNull();
    expect(repoPathOf("/opt/grok-voice/data/x", sources)).toBe("vm1/grok-voice/opt/grok-voice/data/x");
    expect(repoPathOf("/etc/passwd", sources)).toBeNull();
  });
});
