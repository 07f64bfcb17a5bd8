/**
 * The `files` action on a real file tree, through the catalog (arguments parsed with their defaults),
 * the sidecar's handler and the definition's output schema and rendering: everything stays inside the
 * service's declared root, `..`, symlinks out and secrets files are refused, and no secret is ever returned.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAction } from "../../protocol/actions/catalog.ts";
import { FILES_READ_MAX_CHARS, files } from "../../protocol/actions/files.ts";
import { createFiles } from "../../sidecar/actions/files.ts";
import { ActionError } from "../../sidecar/services/handler.ts";
import { createHarness, type Harness, inventory } from "../sidecar-actions/harness.ts";

const SECRET = "sk-live-files-do-not-leak-0002";
let h: Harness;
let outside: string;
let root: string;

beforeAll(() => {
  h = createHarness();
  outside = mkdtempSync(join(tmpdir(), "voxops-files-outside-"));
  writeFileSync(join(outside, "passwd"), "root:x:0:0\n");
  root = join(h.root, "srv", "api");
  mkdirSync(join(root, "lib"), { recursive: true });
  mkdirSync(join(root, ".git"), { recursive: true });
  writeFileSync(join(root, "app.py"), "import os\n# TODO: cache the answer\nprint('hi')\n");
  writeFileSync(join(root, "lib", "db.py"), "def connect():\n    pass  # todo retry\n");
  writeFileSync(join(root, ".git", "config"), "[core]\n# TODO in git\n");
  writeFileSync(join(root, ".env"), `TOKEN=${SECRET} # TODO\n`);
  writeFileSync(join(root, "server.pem"), `${SECRET} TODO`);
  writeFileSync(join(root, "tls.key"), `${SECRET} TODO`);
  writeFileSync(join(root, "id_rsa"), `${SECRET} TODO`);
  writeFileSync(join(root, "long.txt"), `${"a line of text\n".repeat(400)}`);
  writeFileSync(join(root, "huge.txt"), "x".repeat(300_000));
  symlinkSync(join(outside, "passwd"), join(root, "passwd-link"));
  symlinkSync(join(root, ".env"), join(root, "settings-link"));
});
afterAll(() => {
  h.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

const inv = () => inventory({ vms: { vm1: { services: [{ name: "api", workdir: root }, "plain"] } } });

/** Runs `files` as the sidecar does: the catalog parses the arguments, the handler runs, the output is checked. */
async function run(args: Record<string, unknown>) {
  const parsed = parseAction("files", { service: "api", ...args });
  if (!parsed.ok) throw new Error(parsed.message);
  const out = await createFiles()(files.args.parse(parsed.args), h.ctx(inv()));
  expect(files.output.safeParse(out).success).toBe(true);
  return out;
}
const refusal = async (p: Promise<unknown>): Promise<ActionError> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ActionError);
  return e as ActionError;
};
const both = (out: Awaited<ReturnType<typeof run>>) => ({
  en: files.render(out, { vm: "vm1", lang: "en" }),
  ru: files.render(out, { vm: "vm1", lang: "ru" }),
});

describe("files: list", () => {
  it("lists the root without .git or secrets files, and names the root in both languages", async () => {
    const out = await run({});
    expect(out.op).toBe("list");
    if (out.op !== "list") return;
    expect(out.entries).toEqual(expect.arrayContaining(["app.py", "lib/", "long.txt"]));
    for (const hidden of [".git/", ".env", "server.pem", "tls.key", "id_rsa"])
      expect(out.entries).not.toContain(hidden);
    const text = both(out);
    expect(text.en).toContain(`📁 api on vm1, ${out.root}:`);
    expect(text.ru).toContain(`📁 api на vm1, ${out.root}: записей`);
    expect(text.en).toContain("  app.py");
  });
  it("lists a directory under the root", async () => {
    const out = await run({ path: "lib" });
    expect(out.op === "list" && out.entries).toEqual(["db.py"]);
  });
});

describe("files: read", () => {
  it("reads a line range with the file's size and where it is", async () => {
    const out = await run({ op: "read", path: "app.py", fromLine: 2, toLine: 3 });
    if (out.op !== "read") throw new Error("not a read");
    expect(out.text).toBe("# TODO: cache the answer\nprint('hi')");
    const text = both(out);
    expect(text.en).toMatch(/^📄 .*\/srv\/api\/app\.py \(api on vm1, 47 bytes\): lines 2–3 of 4\.$/m);
    expect(text.ru).toMatch(/^📄 .*\/srv\/api\/app\.py \(api на vm1, 47 байт\): строки 2–3 из 4\.$/m);
  });
  it("caps what one read returns and says how to read on", async () => {
    const out = await run({ op: "read", path: "long.txt", fromLine: 1, toLine: 400 });
    if (out.op !== "read") throw new Error("not a read");
    expect(out.clipped).toBe(true);
    expect(out.text.length).toBe(FILES_READ_MAX_CHARS);
    expect(both(out).en).toContain("ask for the lines after it");
  });
  it("refuses a file over the size limit", async () => {
    const e = await refusal(run({ op: "read", path: "huge.txt" }));
    expect(e.code).toBe("too-big");
  });
  it("refuses secrets files, symlinks out of the root and into secrets, and .git", async () => {
    for (const path of [
      ".env",
      "server.pem",
      "tls.key",
      "id_rsa",
      "passwd-link",
      "settings-link",
      ".git/config",
    ]) {
      const e = await refusal(run({ op: "read", path }));
      expect(e.code).toBe("forbidden-path");
      expect(e.message).not.toContain(SECRET);
    }
  });
  it("refuses '..' and absolute paths before the sidecar sees them", () => {
    for (const path of ["../etc/passwd", "/etc/passwd", "lib/../../x"]) {
      const parsed = parseAction("files", { service: "api", op: "read", path });
      expect(parsed.ok).toBe(false);
    }
    expect(parseAction("files", { service: "api", op: "read" })).toMatchObject({ ok: false });
    expect(parseAction("files", { service: "api", op: "search" })).toMatchObject({ ok: false });
  });
});

describe("files: search", () => {
  it("finds a text in the service's files, never in secrets files or .git", async () => {
    const out = await run({ op: "search", text: "TODO" });
    if (out.op !== "search") throw new Error("not a search");
    expect(out.hits.map((x) => `${x.path}:${x.line}`)).toEqual(["app.py:2", "lib/db.py:2"]);
    const text = both(out);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(text.en).toContain("“TODO” in");
    expect(text.ru).toContain("совпадений 2");
  });
  it("says so when nothing matches", async () => {
    const out = await run({ op: "search", text: "nowhere-to-be-found" });
    expect(both(out).ru).toMatch(/не найдено \(просмотрено файлов: \d+\)\.$/);
  });
});

describe("files: a service without a declared directory", () => {
  it("is refused with what to add to the inventory", async () => {
    const e = await refusal(createFiles()(files.args.parse({ service: "plain" }), h.ctx(inv())));
    expect(e.code).toBe("no-root");
    expect(e.message).toContain('"workdir"');
  });
});
