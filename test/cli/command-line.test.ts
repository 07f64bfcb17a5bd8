/**
 * The `voxops` command line as a user meets it: real `node bin/voxops.js` processes, asserting what
 * they print. Every command listed by `voxops --help` is covered for `--help` and for a bad flag.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnNode, stopAll } from "../support/child.ts";
import { freePort } from "../support/free-port.ts";
import { waitFor } from "../support/wait-for.ts";

const repo = join(import.meta.dirname, "..", "..");
// The commands must find the controllers these tests start, not one the developer's shell points at.
delete process.env.VOXOPS_URL;
delete process.env.PORT;
const home = mkdtempSync(join(tmpdir(), "voxops-cli-test-"));
afterAll(async () => {
  await stopAll();
  rmSync(home, { recursive: true, force: true });
});

function voxops(args: string[], env: Record<string, string> = {}, node = process.execPath) {
  const run = spawnSync(node, [join(repo, "bin", "voxops.js"), ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, VOXOPS_HOME: home, ...env },
    input: "",
    timeout: 20_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A stack trace line, as Node prints them. */
const stackLine = /^\s+at .+[:(]/m;

const listed = voxops(["--help"]);
const commands = [...listed.stdout.matchAll(/^ {2}([a-z-]+) {2,}\S/gm)].map((m) => m[1] as string);

describe("voxops with no command, --help, --version and unknown commands", { timeout: 120_000 }, () => {
  it("lists every command with what it does", () => {
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^usage: voxops <command>/);
    expect(commands).toEqual(
      expect.arrayContaining(["start", "status", "sidecar", "understand", "eval", "mirror", "doctor"]),
    );
    expect(voxops([]).stdout).toBe(listed.stdout);
  });

  it("prints its version and the Node it runs on", () => {
    const { version } = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string };
    const run = voxops(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`voxops ${version} (Node.js ${process.version})\n`);
  });

  it("names an unknown command or flag and shows the commands", () => {
    for (const [arg, said] of [
      ["restrat", 'there is no command "restrat"'],
      ["--verbose", "there is no option --verbose"],
    ] as const) {
      const run = voxops([arg]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`voxops: ${said}.`);
      expect(run.stderr).toContain("usage: voxops <command>");
      expect(run.stderr).not.toMatch(stackLine);
    }
  });

  it("'voxops help status' is 'voxops status --help'", () => {
    const run = voxops(["help", "status"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(voxops(["status", "--help"]).stdout);
  });
});

describe("every command's --help and bad flags", { timeout: 120_000 }, () => {
  it.each(commands)("%s --help prints its usage and exits without starting anything", (command) => {
    for (const flag of ["--help", "-h"]) {
      const run = voxops([command, flag], { PORT: "1" });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^usage: voxops ${command}\\b`));
      expect(run.stdout.split("\n").length).toBeGreaterThan(2);
      expect(run.stderr).toBe("");
    }
  });

  it.each(commands)("%s with an unknown flag says so in one line", (command) => {
    const run = voxops([command, "--no-such-flag"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `voxops ${command}: there is no option --no-such-flag. Run "voxops ${command} --help" for its options.\n`,
    );
  });

  it("an option without its value, a value on a switch and a stray argument are named", () => {
    const cases: [string[], string][] = [
      [["status", "--vm"], "--vm needs a value."],
      [["status", "--vm", "--json"], "--vm needs a value."],
      [["status", "--json=yes"], "--json takes no value."],
      [["status", "vm1"], 'unexpected argument "vm1": this command takes only options.'],
      [["sidecar", "--controller"], "--controller needs a value."],
      [["understand", "--inventory"], "--inventory needs a value."],
      [["eval", "--file"], "--file needs a value."],
    ];
    for (const [args, said] of cases) {
      const run = voxops(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toBe(`voxops ${args[0]}: ${said} Run "voxops ${args[0]} --help" for its options.\n`);
    }
  });

  it("a required option that is missing is named", () => {
    const run = voxops(["understand"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--inventory FILE is required");
    expect(run.stderr).not.toMatch(stackLine);
  });
});

describe("the environment the command runs in", { timeout: 120_000 }, () => {
  const older = spawnSync("/usr/bin/node", ["-p", "process.versions.node"], { encoding: "utf8" });
  const olderMajor = Number(older.stdout?.split(".")[0]);
  it.skipIf(!(olderMajor > 0 && olderMajor < 22))("under an older Node it says which Node is needed", () => {
    const run = voxops(["status"], {}, "/usr/bin/node");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("voxops needs Node.js 22.18 or newer");
    expect(run.stderr).toContain(`this is Node.js v${older.stdout.trim()}`);
    expect(run.stderr).toContain("npx voxops");
    expect(run.stderr).not.toContain("Unknown file extension");
  });

  it("status with PORT set looks for the controller on that port", async () => {
    const port = await freePort();
    const run = voxops(["status"], { PORT: String(port), VOXOPS_API_TOKEN: "cli-test-token-000000" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the controller at http://127.0.0.1:${port}`);
  });

  it("a PORT that is not a port number is said so", () => {
    const run = voxops(["start"], { PORT: "eighty" });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'voxops start: PORT must be a whole number from 0 to 65535 (it is "eighty"); the controller cannot start.\n',
    );
  });

  it("start with PORT set prints a hint that reaches that port", async () => {
    const port = await freePort();
    const start = spawnNode("bin/voxops.js", ["start"], {
      PORT: String(port),
      VOXOPS_HOME: home,
      VOXOPS_QUIET: "1",
    });
    await waitFor(() => start.stdout().includes("Stop with Ctrl-C."), { what: "the start banner" });
    // VOXOPS_HOME is set too: the hint carries it, or the CLI would look for the token in .voxops.
    expect(start.stdout()).toContain(
      `Try: VOXOPS_URL=http://127.0.0.1:${port} VOXOPS_HOME=${home} npx voxops status`,
    );
    const status = voxops(["status"], { VOXOPS_URL: `http://127.0.0.1:${port}` });
    expect(status.stderr).toBe("");
    expect(status.stdout).toMatch(/^VM\s+LINK/);
    await start.stop();
  });
});
