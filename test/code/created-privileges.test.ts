/**
 * The polkit rule and the unit's writable paths that deploy/render-privileges.js renders for an
 * inventory that lets voxops create services and scripts: the rule (evaluated as polkit would, with
 * its real text) allows start/restart of voxops-made-*.service only, and nothing of the kind when
 * the inventory does not enable creation.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repo } from "../support/child.ts";

const dir = mkdtempSync(join(tmpdir(), "voxops-privileges-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function render(inventory: unknown, what: "polkit" | "paths"): string {
  const file = join(dir, `${what}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(inventory));
  return execFileSync(process.execPath, [join(repo, "deploy/render-privileges.js"), file, "vm1", what], {
    encoding: "utf8",
  });
}

type Rule = (action: { id: string; lookup(k: string): string }, subject: { user: string }) => string;

/** Loads the rendered rule the way polkitd does: the file's text run with a `polkit` object. */
function ruleOf(text: string): Rule {
  let rule: Rule | undefined;
  const polkit = {
    Result: { YES: "yes", NO: "no", NOT_HANDLED: "not-handled" },
    addRule: (f: Rule) => {
      rule = f;
    },
  };
  new Function("polkit", text)(polkit);
  if (!rule) throw new Error("the rendered file adds no rule");
  return rule;
}

const ask = (rule: Rule, unit: string, verb: string) =>
  rule(
    { id: "org.freedesktop.systemd1.manage-units", lookup: (k) => (k === "unit" ? unit : verb) },
    { user: "voxops" },
  );

describe("the privileges rendered for creating services and scripts", () => {
  const creating = {
    vms: {
      vm1: { services: ["api"], code: { newServices: { root: "/srv/new" }, scripts: { dir: "/opt/jobs" } } },
    },
  };

  it("lets the sidecar start and restart only units the helper made, never stop them or touch others", () => {
    const rule = ruleOf(render(creating, "polkit"));
    expect(ask(rule, "voxops-made-echo.service", "restart")).toBe("yes");
    expect(ask(rule, "voxops-made-clean-logs.service", "start")).toBe("yes");
    expect(ask(rule, "api.service", "restart")).toBe("yes");
    expect(ask(rule, "voxops-made-echo.service", "stop")).toBe("no");
    expect(ask(rule, "voxops-made-echo.timer", "start")).toBe("no");
    expect(ask(rule, "voxops-madeXecho.service", "start")).toBe("no");
    expect(ask(rule, "ssh.service", "start")).toBe("no");
    expect(ask(rule, "debug-shell.service", "start")).toBe("no");
  });

  it("grants nothing for created units when the inventory does not enable creation", () => {
    const rule = ruleOf(render({ vms: { vm1: { services: ["api"] } } }, "polkit"));
    expect(ask(rule, "voxops-made-echo.service", "restart")).toBe("no");
    expect(ask(rule, "api.service", "restart")).toBe("yes");
  });

  it("opens the unit directory, the registry's directory and the configured roots to the helper", () => {
    const paths = render(creating, "paths");
    for (const p of ["/etc/systemd/system", "/etc/voxops", "/srv/new", "/opt/jobs"])
      expect(paths).toContain(`-${p}`);
    expect(render({ vms: { vm1: { services: ["api"] } } }, "paths")).not.toContain("/etc/systemd/system");
  });
});
