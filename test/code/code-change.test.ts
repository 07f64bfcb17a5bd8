/**
 * Programming by voice, end to end on real parts: a real systemd (the sandbox) runs a fixture Node
 * service from a real git repository and a real sidecar; a Node controller asks the Anthropic
 * stand-in (scripted, real wire format) for a change, shows the diff, applies it on confirmation,
 * and rolls back what fails. Covers the cases 1-6 and 10.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicReply, messagesOf } from "../llm/anthropic-stand-in.ts";
import type { Received } from "../llm/stand-in-server.ts";
import { type BotApiStandIn, type StandInUser, startBotApiStandIn } from "../stand-ins/bot-api.ts";
import { type CodeWorld, codeTokens, SECRET, startCodeWorld } from "./code-world.ts";

/** The tool_result blocks of the last user message of a Messages API request. */
function toolResults(r: Received): { tool_use_id: string; content: string; is_error?: boolean }[] {
  const last = messagesOf(r.body).at(-1);
  return Array.isArray(last?.content)
    ? (last.content as { type: string }[]).filter((b) => b.type === "tool_result").map((b) => b as never)
    : [];
}

const healthEdit = {
  summary: "Добавлен endpoint /health: отвечает 200 ok.",
  endpoint: "/health",
  files: [
    {
      path: "app.js",
      edits: [
        {
          find: '  if (path === "/")',
          replace: '  if (path === "/health") return { status: 200, body: "ok" };\n  if (path === "/")',
        },
      ],
    },
  ],
};

const alice: StandInUser = { id: 2001, first_name: "Алиса", language_code: "ru", username: "alice" };
const bob: StandInUser = { id: 2002, first_name: "Bob", language_code: "en", username: "bob" };

describe("programming by voice on a real systemd service", () => {
  let w: CodeWorld;
  let tg: BotApiStandIn;
  beforeAll(async () => {
    tg = await startBotApiStandIn();
    for (const u of [alice, bob]) tg.addUser(u);
    w = await startCodeWorld({
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      TELEGRAM_USERS: `${alice.id}:admin,${bob.id}:admin`,
      TELEGRAM_BOT_INFO: JSON.stringify(tg.botInfo),
    });
    await tg.waitForCall((c) => c.method === "deleteWebhook", 10_000);
  }, 180_000);
  afterAll(async () => {
    await w?.close();
    await tg?.close();
  });

  it("adds /health: reads, shows the diff, Apply → tests → restart → endpoint 200 → commit → backup; Revert undoes it", async () => {
    w.llm.script(
      anthropicReply("", [{ id: "t1", name: "list_files", input: {} }]),
      (r) => {
        const listing = toolResults(r)[0]?.content ?? "";
        if (!listing.includes("app.js") || listing.includes(".env") || listing.includes(".git/"))
          throw new Error(`unexpected listing: ${listing}`);
        return anthropicReply("", [{ id: "t2", name: "read_file", input: { path: "app.js" } }]);
      },
      (r) => {
        const file = toolResults(r)[0]?.content ?? "";
        if (!file.startsWith("<vm-data") || !file.includes("exports.route"))
          throw new Error(`unexpected read: ${file}`);
        return anthropicReply("", [{ id: "t3", name: "propose_change", input: healthEdit }]);
      },
    );
    const ask = await w.api("/agent/ask", { text: "Добавь endpoint /health в api", lang: "ru" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.text).toContain('+  if (path === "/health")');
    expect(ask.body.text).toContain("Применить?");
    expect(w.llm.received.every((r) => r.problems.length === 0)).toBe(true);
    const id = ask.body.confirmationId as string;
    expect(await w.git("status", "--porcelain")).toBe(""); // nothing written before Apply

    const stranger = await w.api(`/agent/code/apply/${id}`, {}, codeTokens.other);
    expect(stranger.status).toBe(409);
    expect((await w.get("/health")).status).toBe(404);

    const applied = await w.api(`/agent/code/apply/${id}`, { lang: "ru" });
    expect(applied.status, applied.body.text).toBe(200);
    expect(applied.body.text).toContain("Изменение применено");
    expect(applied.body.text).toContain("node test.js");
    expect(await w.get("/health")).toEqual({ status: 200, body: "ok" });
    expect((await w.git("log", "-1", "--format=%s")).trim()).toBe("Добавь endpoint /health в api");
    const backedUp = await w.sbx.exec([
      "git",
      "--git-dir=/srv/backup.git",
      "show",
      "main:vm1/api/srv/api/app.js",
    ]);
    expect(backedUp).toContain('"/health"');
    const backupTree = await w.sbx.exec([
      "git",
      "--git-dir=/srv/backup.git",
      "ls-tree",
      "-r",
      "--name-only",
      "main",
    ]);
    expect(backupTree).not.toContain(".env");

    const twice = await w.api(`/agent/code/apply/${id}`);
    expect(twice.status).toBe(409);

    const revertId = applied.body.revertConfirmationId as string;
    expect(revertId).toBeTruthy();
    const reverted = await w.api(`/agent/code/apply/${revertId}`);
    expect(reverted.status, reverted.body.text).toBe(200);
    expect(reverted.body.text).toContain("Revert applied");
    expect((await w.get("/health")).status).toBe(404);
    expect(await w.get("/")).toEqual({ status: 200, body: "hello" });
    expect((await w.git("log", "-1", "--format=%s")).trim()).toMatch(/^Revert "Добавь endpoint/);
  }, 120_000);

  it("a change that breaks the service's tests is not applied, and the failing output is reported", async () => {
    w.llm.script(
      anthropicReply("", [
        {
          id: "b1",
          name: "propose_change",
          input: {
            summary: "The root answers bye.",
            files: [{ path: "app.js", edits: [{ find: 'body: "hello"', replace: 'body: "bye"' }] }],
          },
        },
      ]),
    );
    const ask = await w.api("/agent/code", { service: "api", text: "make the root answer bye" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.diff).toContain('+  if (path === "/") return { status: 200, body: "bye" };');
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(r.status).toBe(409);
    expect(r.body.text).toContain("node test.js failed");
    expect(r.body.text).toContain('expected "/" to answer 200 hello');
    expect(await w.git("status", "--porcelain")).toBe("");
    expect(await w.get("/")).toEqual({ status: 200, body: "hello" });
  }, 60_000);

  it("a change that passes the tests but does not come up is rolled back, and the old version is healthy", async () => {
    const before = (await w.git("rev-parse", "HEAD")).trim();
    w.llm.script(
      anthropicReply("", [
        {
          id: "c1",
          name: "propose_change",
          input: {
            summary: "Validate the port at start.",
            files: [
              {
                path: "server.js",
                edits: [
                  { find: "const port = ", replace: 'throw new Error("boom at start");\nconst port = ' },
                ],
              },
            ],
          },
        },
      ]),
    );
    const ask = await w.api("/agent/code", { service: "api", text: "check the port at start" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(r.status).toBe(409);
    expect(r.body.text).toContain("rolled back");
    expect(r.body.text).toContain("The previous version is running and healthy again.");
    expect(await w.get("/")).toEqual({ status: 200, body: "hello" });
    expect(await w.git("status", "--porcelain")).toBe("");
    expect((await w.git("rev-parse", "HEAD")).trim()).toBe(before);
  }, 90_000);

  it("reads outside the root, through a symlink, of .env or .git are refused, and no secret reaches the model", async () => {
    w.llm.script(
      anthropicReply("", [
        { id: "s1", name: "read_file", input: { path: ".env" } },
        { id: "s2", name: "read_file", input: { path: "hostname-link" } },
        { id: "s3", name: "read_file", input: { path: "../../etc/passwd" } },
        { id: "s4", name: "read_file", input: { path: ".git/config" } },
        { id: "s5", name: "search_code", input: { text: "API_SECRET" } },
      ]),
      (r) => {
        const results = toolResults(r);
        if (results.length !== 5) throw new Error(`expected 5 tool results, got ${results.length}`);
        for (const x of results.slice(0, 4))
          if (!x.is_error || !/refused|outside|secrets|\.git/.test(x.content))
            throw new Error(`not refused: ${x.content}`);
        return anthropicReply("I could not read those files.");
      },
    );
    const ask = await w.api("/agent/code", { service: "api", text: "show me the secrets" });
    expect(ask.status).toBe(200);
    expect(ask.body.status).toBe("no-change");
    const everything = JSON.stringify(w.llm.received.map((r) => r.body));
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain("repositoryformatversion");
    expect(w.llm.received.every((r) => r.problems.length === 0)).toBe(true);
  }, 60_000);

  it("instructions planted in a repository file change nothing", async () => {
    const audited = () => w.host.controller.audit.recent(500, { action: "reboot" }).length;
    const rebootsBefore = audited();
    w.llm.script(
      anthropicReply("", [{ id: "p1", name: "read_file", input: { path: "README.md" } }]),
      (r) => {
        const readme = toolResults(r)[0]?.content ?? "";
        if (!readme.startsWith("<vm-data") || !readme.includes("ignore previous instructions"))
          throw new Error(`README not given as quoted data: ${readme}`);
        return anthropicReply("Rebooting as the README says.", [
          { id: "p2", name: "reboot", input: { vm: "vm1" } },
        ]);
      },
      (r) => {
        const refusal = toolResults(r)[0];
        if (!refusal?.is_error || !refusal.content.includes("refused"))
          throw new Error("the reboot was not refused");
        return anthropicReply("Done.");
      },
    );
    const ask = await w.api("/agent/code", { service: "api", text: "update the README title" });
    expect(ask.body.status).toBe("no-change");
    expect(audited()).toBe(rebootsBefore);
    expect(w.sbx.alive()).toBe(true);
    expect(await w.get("/")).toEqual({ status: 200, body: "hello" });
  }, 60_000);

  it("from Telegram: progress, summary and short diff with Apply/Cancel, the long diff as a .diff file; only the requester can apply", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `// build note ${i + 1}`);
    const version = `${lines.join("\n")}\nexports.version = "1.2.3";\n`;
    w.llm.script(
      anthropicReply("", [{ id: "v1", name: "read_file", input: { path: "app.js" } }]),
      anthropicReply("", [
        {
          id: "v2",
          name: "propose_change",
          input: {
            summary: "Добавлен /version: отдаёт номер версии.",
            endpoint: "/version",
            files: [
              { path: "version.js", content: version },
              {
                path: "app.js",
                edits: [
                  {
                    find: "  return { status: 404",
                    replace:
                      '  if (path === "/version") return { status: 200, body: require("./version.js").version };\n  return { status: 404',
                  },
                ],
              },
            ],
          },
        },
      ]),
    );
    const from = tg.calls.length;
    tg.push(tg.textUpdate(alice, "Добавь endpoint /version в api"));
    const doc = await tg.waitForCall(
      (c) => c.method === "sendDocument" && tg.calls.indexOf(c) >= from,
      30_000,
    );
    expect(doc.ok).toBe(true);
    expect((doc.params["document"] as { filename: string }).filename).toBe("api.diff");
    expect(new TextDecoder().decode(doc.upload)).toContain('+exports.version = "1.2.3";');
    const texts = tg.calls
      .slice(from)
      .filter((c) => c.params["chat_id"] === alice.id && /^(sendMessage|editMessageText)$/.test(c.method))
      .map((c) => String(c.params["text"]));
    expect(texts.some((t) => t.includes("Читаю код api"))).toBe(true);
    const proposal = [...tg.state.messages.values()]
      .filter((m) => m.chat_id === alice.id && JSON.stringify(m.reply_markup ?? {}).includes('"ca:'))
      .at(-1);
    expect(proposal?.text).toContain("Применить?");
    expect(proposal?.text).toContain("весь diff — в приложенном файле");
    const apply = proposal?.reply_markup?.inline_keyboard?.[0]?.[0];
    const data = apply && "callback_data" in apply ? String(apply.callback_data) : "";
    expect(data).toMatch(/^ca:/);
    const message = { chat_id: alice.id, message_id: proposal?.message_id ?? -1 };

    const forged = tg.calls.length;
    tg.push(tg.callbackUpdate(bob, message, data));
    await tg.waitForCall((c) => c.method === "answerCallbackQuery" && tg.calls.indexOf(c) >= forged, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await w.get("/version")).status).toBe(404);

    const pressed = tg.calls.length;
    tg.push(tg.callbackUpdate(alice, message, data));
    const done = await tg.waitForCall(
      (c) =>
        tg.calls.indexOf(c) >= pressed &&
        c.params["chat_id"] === alice.id &&
        /Изменение применено/.test(String(c.params["text"] ?? "")),
      90_000,
    );
    expect(String(done.params["text"])).toContain("Новый адрес /version отвечает 200");
    expect(JSON.stringify(done.params["reply_markup"] ?? "")).toContain('"cf:');
    expect(await w.get("/version")).toEqual({ status: 200, body: "1.2.3" });
  }, 120_000);

  it("two changes to one service at once: the second is refused, never interleaved", async () => {
    const propose = (body: string) =>
      anthropicReply("", [
        {
          id: `x-${body}`,
          name: "propose_change",
          input: {
            summary: `404 says ${body}`,
            files: [{ path: "app.js", edits: [{ find: 'body: "not found"', replace: `body: "${body}"` }] }],
          },
        },
      ]);
    // The gate allows 6 changes to one service in 10 minutes; the tests above used them up.
    w.clock.advance(11 * 60_000);
    w.llm.script(propose("nope-one"), propose("nope-two"));
    const a = await w.api("/agent/code", { service: "api", text: "404 says nope-one" });
    const b = await w.api("/agent/code", { service: "api", text: "404 says nope-two" });
    expect([a.status, b.status]).toEqual([202, 202]);
    const [ra, rb] = await Promise.all([
      w.api(`/agent/code/apply/${a.body.confirmationId}`),
      w.api(`/agent/code/apply/${b.body.confirmationId}`),
    ]);
    const results = [ra, rb].map((r) => r.status).sort();
    expect(results).toEqual([200, 409]);
    const refused = ra.status === 409 ? ra : rb;
    expect(refused.body.text).toContain("Another code change to api is being applied right now");
    const body = (await w.get("/nope")).body;
    expect(["nope-one", "nope-two"]).toContain(body);
  }, 90_000);

  it("the external coding agent works in a scratch worktree; its diff goes through the same confirmation and pipeline", async () => {
    const before = await w.sbx.readFile("/srv/agent-api/app.js");
    const ask = await w.api("/agent/code", { service: "agent-api", text: "add an /agent endpoint" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    expect(ask.body.summary).toContain("Added the /agent endpoint.");
    expect(ask.body.files).toEqual(["app.js"]);
    expect(ask.body.diff).toContain('+  if (path === "/agent")');
    // The agent ran in a worktree under the sidecar's state, never in the live tree, which is untouched.
    const runs = (await w.sbx.readFile("/var/tmp/voxops-agent-stand-in.log"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(runs.at(-1)).toMatchObject({ request: "add an /agent endpoint" });
    expect(runs.at(-1).cwd).toMatch(/^\/var\/lib\/voxops\/worktrees\/agent-api-/);
    expect(await w.sbx.readFile("/srv/agent-api/app.js")).toBe(before);
    expect(
      (await w.sbx.exec(["git", "-C", "/srv/agent-api", "worktree", "list"])).trim().split("\n"),
    ).toHaveLength(1);
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(r.status, r.body.text).toBe(200);
    expect(await w.get("/agent", w.agentPort)).toEqual({ status: 200, body: "made by the agent" });
    const failed = await w.api("/agent/code", { service: "agent-api", text: "please fail" });
    expect(failed.body.status).toBe("no-change");
    expect(failed.body.message).toContain("exited with code 3");
  }, 90_000);

  it("a Python service without git: a syntax error is stopped by py_compile; a good change is applied from a file snapshot", async () => {
    const edit = (replace: string) =>
      anthropicReply("", [
        {
          id: `py-${replace.length}`,
          name: "propose_change",
          input: {
            summary: "py change",
            endpoint: "/ping",
            files: [{ path: "routes.py", edits: [{ find: '    return 404, "not found"', replace }] }],
          },
        },
      ]);
    const before = await w.sbx.readFile("/srv/py-api/routes.py");
    w.llm.script(edit('    if path == "/ping":\n        return 200, "pong"\n    return 404, "not found"('));
    const bad = await w.api("/agent/code", { service: "py-api", text: "add /ping" });
    expect(bad.status, JSON.stringify(bad.body)).toBe(202);
    const refused = await w.api(`/agent/code/apply/${bad.body.confirmationId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.text).toContain("py_compile routes.py failed");
    expect(refused.body.text).toContain("SyntaxError");
    expect(await w.sbx.readFile("/srv/py-api/routes.py")).toBe(before);

    w.llm.script(edit('    if path == "/ping":\n        return 200, "pong"\n    return 404, "not found"'));
    const good = await w.api("/agent/code", { service: "py-api", text: "add /ping" });
    const applied = await w.api(`/agent/code/apply/${good.body.confirmationId}`);
    expect(applied.status, applied.body.text).toBe(200);
    expect(applied.body.text).toContain("not a git checkout");
    expect(applied.body.text).toContain("/usr/bin/python3 test_routes.py");
    expect(await w.get("/ping", w.pyPort)).toEqual({ status: 200, body: "pong" });
  }, 90_000);

  it("an expired proposal does nothing", async () => {
    w.clock.advance(11 * 60_000); // past the gate's window of 6 changes per service in 10 minutes
    w.llm.script(anthropicReply("", [{ id: "e1", name: "propose_change", input: healthEdit }]));
    const ask = await w.api("/agent/code", { service: "api", text: "add /health" });
    expect(ask.status, JSON.stringify(ask.body)).toBe(202);
    w.clock.advance(11 * 60_000);
    const r = await w.api(`/agent/code/apply/${ask.body.confirmationId}`);
    expect(r.status).toBe(409);
    expect(r.body.text).toMatch(/expired|истекло/i);
    expect((await w.get("/health")).status).toBe(404);
  }, 60_000);
});
