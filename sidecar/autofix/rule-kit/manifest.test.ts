import { describe, expect, it } from "vitest";
import { isDeclared, parseRequirements } from "./manifest.ts";
import { parseUnitCommand, splitExec } from "./stale-process.ts";

describe("manifests", () => {
  it("reads package names from requirements.txt, skipping options, comments and URLs", () => {
    expect(
      parseRequirements(
        "# deps\nPyYAML>=6\nrequests[socks]==2.31\n-r base.txt\n--index-url https://x\nPython_Dateutil\n",
      ),
    ).toEqual(["pyyaml", "requests", "python-dateutil"]);
  });

  it("matches import names to declared packages, with the usual Python renames", () => {
    const py = { runtime: "python" as const, declared: ["pyyaml", "requests", "python-dateutil"] };
    expect(isDeclared(py, "yaml")).toBe(true);
    expect(isDeclared(py, "requests.adapters")).toBe(true);
    expect(isDeclared(py, "dateutil")).toBe(true);
    expect(isDeclared(py, "numpy")).toBe(false);
    const node = { runtime: "node" as const, declared: ["lodash", "@acme/lib"] };
    expect(isDeclared(node, "lodash/fp")).toBe(true);
    expect(isDeclared(node, "@acme/lib")).toBe(true);
    expect(isDeclared(node, "left-pad")).toBe(false);
  });
});

describe("unit commands", () => {
  it("splits ExecStart like systemd and drops its prefixes", () => {
    expect(splitExec(`-/usr/bin/node "/opt/my app/server.js" --port 80`)).toEqual([
      "/usr/bin/node",
      "/opt/my app/server.js",
      "--port",
      "80",
    ]);
    expect(
      parseUnitCommand("[Service]\nWorkingDirectory=/opt/app\nExecStart=/usr/bin/python3 -m app\n"),
    ).toEqual({
      argv: ["/usr/bin/python3", "-m", "app"],
      workdir: "/opt/app",
    });
    expect(parseUnitCommand("[Service]\nType=simple\n")).toBeNull();
  });
});
