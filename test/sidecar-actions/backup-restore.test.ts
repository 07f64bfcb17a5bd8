/** Backup and restore against a real local bare repository, with two sidecars pushing at once. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Inventory } from "../../protocol/inventory.ts";
import { createHandlers } from "../../sidecar/actions/index.ts";
import { backupSources } from "../../sidecar/adapters/backup-layout.ts";
import { createBackupRepo } from "../../sidecar/adapters/backup-repo.ts";
import { createGit, type Git } from "../../sidecar/adapters/git.ts";
import { createHarness, git, type Harness, inventory, refusal } from "./harness.ts";

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.cleanup();
});

const PRIVATE_KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

/** Two VMs' files in one temp root, one bare repository, an inventory naming both. */
function world() {
  const h1 = createHarness({ stateName: "state-vm1" });
  const h2 = createHarness({ stateName: "state-vm2" });
  harnesses.push(h1, h2);
  const root = h1.root;
  const remote = join(root, "oracle-vm-backup.git");
  git(root, "init", "-q", "--bare", "-b", "main", remote);
  const p = (vm: string, ...parts: string[]) => join(root, vm, ...parts);
  for (const vm of ["vm1", "vm2"]) {
    mkdirSync(p(vm, "etc", "nginx"), { recursive: true });
    mkdirSync(p(vm, "opt", "app", "data", "keys"), { recursive: true });
    writeFileSync(p(vm, "etc", "nginx", "nginx.conf"), `# ${vm}\nserver { listen 80; }\n`);
    writeFileSync(p(vm, "opt", "app", "data", "notes.txt"), `${vm} notes v1\n`);
    writeFileSync(p(vm, "opt", "app", "data", "state.json"), `{"vm":"${vm}"}\n`);
    writeFileSync(p(vm, "opt", "app", "data", ".env"), "DB_PASSWORD=hunter2\n");
    writeFileSync(p(vm, "opt", "app", "data", "api-token.txt"), "tok-123\n");
    writeFileSync(p(vm, "opt", "app", "data", "keys", "id_rsa"), PRIVATE_KEY);
    writeFileSync(p(vm, "opt", "app", "data", "innocent.txt"), `looks harmless\n${PRIVATE_KEY}`);
    writeFileSync(p(vm, "motd"), `welcome to ${vm}\n`);
  }
  h1.unit("app", "/bin/true");
  const inv = inventory({
    vms: Object.fromEntries(
      ["vm1", "vm2"].map((vm) => [
        vm,
        {
          services: [
            {
              name: "app",
              configs: [{ path: p(vm, "etc", "nginx", "nginx.conf") }],
              backup: [p(vm, "opt", "app", "data")],
            },
          ],
          backup: [p(vm, "motd")],
        },
      ]),
    ),
    backup: { repo: remote, branch: "main" },
  });
  return { h1, h2, inv, remote, p };
}

function files(remote: string): string[] {
  return git(remote, "ls-tree", "-r", "--name-only", "main").trim().split("\n").sort();
}

describe("backup", () => {
  it("pushes each VM's paths into its own subtree in the specification's layout, never a secret", async () => {
    const { h1, h2, inv, remote, p } = world();
    const [r1, r2] = await Promise.all([
      createHandlers(h1.adapters).backup?.({ reason: "test" }, h1.ctx(inv, "vm1")),
      createHandlers(h2.adapters).backup?.({}, h2.ctx(inv, "vm2")),
    ]);
    expect(r1).toMatchObject({ changed: true, files: 5 });
    expect(r2).toMatchObject({ changed: true, files: 4 });
    const skipped = (r1 as { skipped: { path: string; reason: string }[] }).skipped;
    expect(skipped.map((s) => s.path.split("/").pop()).sort()).toEqual([
      ".env",
      "api-token.txt",
      "id_rsa",
      "innocent.txt",
    ]);
    expect(skipped.find((s) => s.path.endsWith("innocent.txt"))?.reason).toMatch(/private key/);
    const d1 = p("vm1").slice(1);
    const d2 = p("vm2").slice(1);
    expect(files(remote)).toEqual(
      [
        `vm1/app/${d1}/opt/app/data/notes.txt`,
        `vm1/app/${d1}/opt/app/data/state.json`,
        `vm1/configs/${d1}/etc/nginx/nginx.conf`,
        `vm1/files/${d1}/motd`,
        "vm1/services/app.service",
        `vm2/app/${d2}/opt/app/data/notes.txt`,
        `vm2/app/${d2}/opt/app/data/state.json`,
        `vm2/configs/${d2}/etc/nginx/nginx.conf`,
        `vm2/files/${d2}/motd`,
      ].sort(),
    );
    const everything = git(remote, "log", "--all", "-p", "--format=%s");
    expect(everything).not.toMatch(/PRIVATE KEY|hunter2|tok-123/);
    const subjects = git(remote, "log", "--format=%an|%s", "main").trim().split("\n").sort();
    expect(subjects).toEqual(["voxops vm1|vm1: test", "voxops vm2|vm2: backup on demand"]);
  });

  it("keeps both VMs' work when they push many times at once", async () => {
    const { h1, h2, inv, remote, p } = world();
    const a = createHandlers(h1.adapters);
    const b = createHandlers(h2.adapters);
    for (let round = 1; round <= 4; round++) {
      writeFileSync(p("vm1", "motd"), `vm1 round ${round}\n`);
      writeFileSync(p("vm2", "motd"), `vm2 round ${round}\n`);
      await Promise.all([a.backup?.({}, h1.ctx(inv, "vm1")), b.backup?.({}, h2.ctx(inv, "vm2"))]);
    }
    expect(git(remote, "show", `main:vm1/files${p("vm1", "motd")}`)).toBe("vm1 round 4\n");
    expect(git(remote, "show", `main:vm2/files${p("vm2", "motd")}`)).toBe("vm2 round 4\n");
    expect(git(remote, "rev-list", "--count", "main").trim()).toBe("8");
    const unchanged = (await a.backup?.({}, h1.ctx(inv, "vm1"))) as { changed: boolean; attempts: number };
    expect(unchanged).toMatchObject({ changed: false, attempts: 0 });
  });

  it("rebases and retries when another VM's push lands between its fetch and its push", async () => {
    const { h1, h2, inv, remote } = world();
    await createHandlers(h2.adapters).backup?.({}, h2.ctx(inv, "vm2"));
    const vm1 = inv.vm("vm1");
    const vm2 = inv.vm("vm2");
    if (!vm1 || !vm2) throw new Error("inventory");
    const plain = createGit({ identity: { name: "voxops vm1", email: "voxops@vm1.invalid" } });
    let interfered = false;
    const racing: Git = {
      run: (cwd, args, o) => plain.run(cwd, args, o),
      async attempt(cwd, args, o) {
        if (args[0] === "push" && !interfered) {
          interfered = true;
          writeFileSync(vm2.backup[0] ?? "", "vm2 changed meanwhile\n");
          await createHandlers(h2.adapters).backup?.({ reason: "meanwhile" }, h2.ctx(inv, "vm2"));
        }
        return plain.attempt(cwd, args, o);
      },
    };
    const repo = createBackupRepo({
      git: racing,
      workdir: join(h1.root, "race-clone"),
      remote,
      branch: "main",
      roots: ["vm1", "agent/vm1"],
      sleep: async () => undefined,
    });
    const report = await repo.push(backupSources(vm1), "vm1: racing");
    expect(interfered).toBe(true);
    expect(report.attempts).toBe(2);
    expect(git(remote, "log", "--format=%s", "main").trim().split("\n")).toEqual([
      "vm1: racing",
      "vm2: meanwhile",
      "vm2: backup on demand",
    ]);
    expect(git(remote, "show", `main:vm2/files${vm2.backup[0]}`)).toBe("vm2 changed meanwhile\n");
  });
});

describe("restore", () => {
  async function backedUp() {
    const w = world();
    await createHandlers(w.h1.adapters).backup?.({}, w.h1.ctx(w.inv, "vm1"));
    return { ...w, handlers: createHandlers(w.h1.adapters), ctx: w.h1.ctx(w.inv, "vm1") };
  }

  it("brings a deleted file back to its original path, by repository path or by original path", async () => {
    const { handlers, ctx, p } = await backedUp();
    const notes = p("vm1", "opt", "app", "data", "notes.txt");
    rmSync(notes);
    const out = (await handlers.restore?.({ path: `vm1/app${notes}` }, ctx)) as {
      path: string;
      commit: string;
      replacedExisting: boolean;
    };
    expect(out).toMatchObject({ path: notes, replacedExisting: false });
    expect(readFileSync(notes, "utf8")).toBe("vm1 notes v1\n");
    const conf = p("vm1", "etc", "nginx", "nginx.conf");
    writeFileSync(conf, "garbage");
    await handlers.restore?.({ path: conf.slice(1) }, ctx);
    expect(readFileSync(conf, "utf8")).toBe("# vm1\nserver { listen 80; }\n");
  });

  it("finds the last version of a file that a later backup no longer has, and honours an explicit ref", async () => {
    const { handlers, ctx, p, remote, h1, inv } = await backedUp();
    const first = git(remote, "rev-parse", "main").trim();
    const notes = p("vm1", "opt", "app", "data", "notes.txt");
    writeFileSync(notes, "vm1 notes v2\n");
    await handlers.backup?.({}, ctx);
    rmSync(notes);
    await createHandlers(h1.adapters).backup?.({ reason: "after the file was lost" }, h1.ctx(inv, "vm1"));
    expect(git(remote, "ls-tree", "-r", "--name-only", "main")).not.toContain("notes.txt");
    await handlers.restore?.({ path: `vm1/app${notes}` }, ctx);
    expect(readFileSync(notes, "utf8")).toBe("vm1 notes v2\n");
    await handlers.restore?.({ path: `vm1/app${notes}`, ref: first }, ctx);
    expect(readFileSync(notes, "utf8")).toBe("vm1 notes v1\n");
  });

  it("refuses other VMs' files, paths outside the backup, traversal and odd refs", async () => {
    const { handlers, ctx, p } = await backedUp();
    const cases: [Record<string, unknown>, string][] = [
      [{ path: `vm2/app${p("vm2", "opt", "app", "data", "notes.txt")}` }, "forbidden-path"],
      [{ path: "agent/vm2/etc/voxops.json" }, "forbidden-path"],
      [{ path: "etc/passwd" }, "not-backed-up"],
      [{ path: `vm1/app${p("vm1", "opt")}/../../../etc/passwd` }, "forbidden-path"],
      [{ path: "/etc/passwd" }, "forbidden-path"],
      [{ path: "vm1/x;reboot" }, "forbidden-path"],
      [{ path: `vm1/app${p("vm1", "opt", "app", "data", "notes.txt")}`, ref: "main..HEAD" }, "forbidden-ref"],
      [
        { path: `vm1/app${p("vm1", "opt", "app", "data", "notes.txt")}`, ref: "--upload-pack=evil" },
        "forbidden-ref",
      ],
    ];
    for (const [args, code] of cases) {
      const err = await refusal(handlers.restore?.(args, ctx));
      expect({ args, code: err.code }).toEqual({ args, code });
    }
    expect(existsSync(join(p("vm1"), "etc", "passwd"))).toBe(false);
  });

  it("says clearly when no backup repository is configured", async () => {
    const h = createHarness();
    harnesses.push(h);
    const inv: Inventory = inventory({ vms: { vm1: { services: ["app"] } } });
    const err = await refusal(createHandlers(h.adapters).backup?.({}, h.ctx(inv)));
    expect(err.code).toBe("backup-not-configured");
  });
});
