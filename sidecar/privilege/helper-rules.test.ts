import { describe, expect, it } from "vitest";
import { parseInventory } from "../../protocol/inventory.ts";
import {
  codeGitRefusal,
  commandAllowed,
  declaredDirectories,
  declaredWrite,
  gitRefusal,
} from "./helper-rules.ts";

const parsed = parseInventory({
  vms: {
    vm1: {
      backup: ["/srv/shared"],
      services: [
        "worker",
        {
          name: "api",
          configs: [{ path: "/etc/api/api.conf" }],
          repo: { path: "/srv/api", build: [["npm", "run", "build"]] },
          manifest: "/srv/api/package.json",
          backup: ["/srv/api-data"],
          logs: ["/var/log/api/api.log"],
        },
      ],
    },
  },
});
if (!parsed.ok) throw new Error(parsed.errors.join("; "));
const vm = parsed.inventory.vm("vm1")!;
const api = vm.services.find((s) => s.name === "api")!;

describe("the root helper's rules", () => {
  it("writes only declared config files and files under backed-up paths", () => {
    expect(declaredWrite(vm, "/etc/api/api.conf")).toContain("config file");
    expect(declaredWrite(vm, "/srv/api-data/a/b.txt")).toContain("backed-up path");
    expect(declaredWrite(vm, "/srv/shared/x")).toContain("vm1's backed-up path");
    for (const bad of [
      "/etc/shadow",
      "/etc/api/other.conf",
      "/srv/api-data/../../etc/shadow",
      "/srv/api-database/x",
      "/etc/systemd/system/api.service",
      "relative/path",
      "/srv/api-data/",
    ])
      expect(declaredWrite(vm, bad), bad).toBeNull();
  });

  it("runs only the git commands a deploy needs, without options that run programs", () => {
    expect(gitRefusal(api, ["status", "--porcelain", "--untracked-files=no"])).toBeNull();
    expect(gitRefusal(api, ["rev-parse", "--verify", "-q", "origin/main^{commit}"])).toBeNull();
    expect(gitRefusal(api, ["fetch", "-q", "origin"])).toBeNull();
    expect(gitRefusal(api, ["fetch", "-q", "/tmp/evil.git"])).toContain("may only fetch");
    expect(gitRefusal(api, ["fetch", "--upload-pack=sh", "origin"])).toContain("not allowed");
    expect(gitRefusal(api, ["-c", "core.pager=sh", "log"])).toContain("not one of the git commands");
    expect(gitRefusal(api, ["config", "core.hooksPath", "/tmp"])).toContain("not one of the git commands");
    expect(gitRefusal(api, ["log", "--format=$(id)"])).toContain("characters");
    expect(gitRefusal(vm.services[0]!, ["status"])).toContain("no git checkout");
  });

  it("runs as the owner only the inventory's build steps and dependency installs", () => {
    expect(commandAllowed(api, "/srv/api", ["npm", "run", "build"])).toBe(true);
    expect(commandAllowed(api, "/srv/api", ["npm", "ci", "--omit=dev", "--no-audit", "--no-fund"])).toBe(
      true,
    );
    expect(commandAllowed(api, "/srv/api", ["npm", "run", "build", "--", "x"])).toBe(false);
    expect(commandAllowed(api, "/tmp", ["npm", "run", "build"])).toBe(false);
    expect(commandAllowed(api, "/srv/api", ["sh", "-c", "id"])).toBe(false);
  });

  it("lists the declared directories the installer creates", () => {
    expect(declaredDirectories(vm)).toEqual([
      "/etc/api",
      "/srv/api",
      "/srv/api-data",
      "/srv/shared",
      "/var/log/api",
    ]);
  });
});

describe("read-only git in a source root, as the owner", () => {
  it("runs the history reads a revert needs", () => {
    expect(codeGitRefusal(["rev-parse", "--show-prefix"])).toBeNull();
    expect(codeGitRefusal(["log", "-1", "--format=%s", "abc123^{commit}"])).toBeNull();
    expect(
      codeGitRefusal(["diff-tree", "--no-commit-id", "--name-only", "-r", "--relative", "abc123"]),
    ).toBeNull();
    expect(codeGitRefusal(["show", "abc123^:src/my file.js"])).toBeNull();
  });

  it("refuses commands that write and options that run programs or write files", () => {
    expect(codeGitRefusal(["commit", "-m", "x"])).toMatch(/not one of the git commands/);
    expect(codeGitRefusal(["worktree", "add", "/tmp/x"])).toMatch(/not one of the git commands/);
    expect(codeGitRefusal([])).toMatch(/not one of the git commands/);
    expect(codeGitRefusal(["log", "--output=/etc/passwd"])).toMatch(/--output is not allowed/);
    expect(codeGitRefusal(["show", "--ext-diff", "HEAD"])).toMatch(/not allowed/);
    expect(codeGitRefusal(["show", "-c", "core.pager=sh"])).toMatch(/-c is not allowed/);
    expect(codeGitRefusal(["show", "HEAD\nrm"])).toMatch(/control characters/);
  });
});
