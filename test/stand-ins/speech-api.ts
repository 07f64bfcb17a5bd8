/**
 * A STAND-IN for OpenAI-compatible speech APIs (test code, 127.0.0.1 only): POST /v1/audio/transcriptions
 * and POST /v1/audio/speech. It checks what it is sent (Bearer key, multipart fields, a valid Ogg/Opus
 * upload, a prompt naming the services), transcribes by a script (sha256 of the file → text) or, for
 * English, for real with Debian's pocketsphinx over a command grammar, and speaks with espeak-ng.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { speakOggOpus } from "./bot-api/espeak.ts";
import { oggOpusProblem } from "./bot-api/ogg-opus.ts";

const run = promisify(execFile);

/** One call the stand-in received. */
export interface SpeechCall {
  readonly route: "transcriptions" | "speech";
  readonly status: number;
  readonly fields: Readonly<Record<string, string>>;
  readonly fileBytes?: number;
  readonly transcribedBy?: "script" | "pocketsphinx";
}

/** How the stand-in behaves. */
export interface SpeechApiOptions {
  readonly apiKey: string;
  /** Words every transcription prompt must contain (the inventory's service names). */
  readonly promptMustInclude?: readonly string[];
  /** Transcribe unscripted audio with pocketsphinx (English command grammar). */
  readonly pocketsphinx?: boolean;
}

/** A running stand-in. */
export interface SpeechApiStandIn {
  /** The API base to configure, e.g. http://127.0.0.1:PORT/v1. */
  readonly baseUrl: string;
  readonly calls: SpeechCall[];
  /** Scripts a transcription: this exact file is heard as `text`. */
  script(audio: Uint8Array, text: string): void;
  /** Scripts every file of a manifest.jsonl ({file, text}) in `dir`. */
  scriptManifest(dir: string): Promise<void>;
  close(): Promise<void>;
}

/** True when pocketsphinx_continuous is installed. */
export function hasPocketsphinx(): boolean {
  return existsSync("/usr/bin/pocketsphinx_continuous") && existsSync("/usr/share/pocketsphinx/model/en-us");
}

/** Starts the stand-in on 127.0.0.1 and an ephemeral port. */
export async function startSpeechApiStandIn(options: SpeechApiOptions): Promise<SpeechApiStandIn> {
  const scripts = new Map<string, string>();
  const calls: SpeechCall[] = [];
  const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: { message: error instanceof Error ? error.message : "stand-in failure" } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const route =
      req.url === "/v1/audio/transcriptions"
        ? "transcriptions"
        : req.url === "/v1/audio/speech"
          ? "speech"
          : undefined;
    const refuse = (status: number, message: string, fields: Record<string, string> = {}) => {
      if (route) calls.push({ route, status, fields });
      send(res, status, { error: { message, type: "invalid_request_error" } });
    };
    if (req.method !== "POST" || !route) return refuse(404, "no such route");
    if (req.headers.authorization !== `Bearer ${options.apiKey}`)
      return refuse(401, "Incorrect API key provided");
    if (route === "speech") return speech(body, req, res, refuse);
    const type = req.headers["content-type"] ?? "";
    if (!type.startsWith("multipart/form-data")) return refuse(400, "expected multipart/form-data");
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
    const fields: Record<string, string> = {};
    for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
    const file = form.get("file");
    if (!(file instanceof File)) return refuse(400, "file is required", fields);
    if (!fields["model"]) return refuse(400, "model is required", fields);
    // Groq and OpenAI judge the upload by its file name's extension; .oga is not on Groq's list.
    const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? "";
    if (!["flac", "mp3", "mp4", "mpeg", "mpga", "m4a", "ogg", "wav", "webm"].includes(extension)) {
      return refuse(
        400,
        `file must be one of flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav, webm (got "${file.name}")`,
        fields,
      );
    }
    if (fields["response_format"] !== undefined && fields["response_format"] !== "json") {
      return refuse(400, "this stand-in answers response_format=json only", fields);
    }
    if (fields["language"] !== undefined && !/^[a-z]{2}$/.test(fields["language"])) {
      return refuse(400, "language must be ISO 639-1", fields);
    }
    const prompt = fields["prompt"] ?? "";
    const missing = (options.promptMustInclude ?? []).filter((word) => !prompt.includes(word));
    if (missing.length > 0) return refuse(400, `prompt lacks ${missing.join(", ")}`, fields);
    const audio = new Uint8Array(await file.arrayBuffer());
    const problem = oggOpusProblem(audio, 25 * 1024 * 1024);
    if (problem) return refuse(400, `invalid audio file: ${problem}`, fields);
    const scripted = scripts.get(sha(audio));
    let text: string | undefined = scripted;
    let by: "script" | "pocketsphinx" = "script";
    if (text === undefined && options.pocketsphinx) {
      text = await recognizeEnglish(audio);
      by = "pocketsphinx";
    }
    if (text === undefined) return refuse(422, "the stand-in has no transcription for this audio", fields);
    calls.push({ route, status: 200, fields, fileBytes: audio.length, transcribedBy: by });
    send(res, 200, { text });
  }

  async function speech(
    body: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
    refuse: (status: number, message: string, fields?: Record<string, string>) => void,
  ): Promise<void> {
    if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
      return refuse(400, "expected JSON");
    let input: unknown;
    try {
      input = JSON.parse(body.toString("utf8"));
    } catch {
      return refuse(400, "malformed JSON");
    }
    const record = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
    const fields = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
    const text = record["input"];
    if (typeof record["model"] !== "string" || record["model"] === "")
      return refuse(400, "model is required", fields);
    if (typeof record["voice"] !== "string" || record["voice"] === "")
      return refuse(400, "voice is required", fields);
    if (typeof text !== "string" || text.trim() === "" || text.length > 4096) {
      return refuse(400, "input must be 1..4096 characters", fields);
    }
    if (record["response_format"] !== "opus")
      return refuse(400, "this stand-in speaks response_format=opus only", fields);
    const audio = await speakOggOpus(text.slice(0, 400));
    calls.push({ route: "speech", status: 200, fields });
    res.writeHead(200, { "content-type": "audio/ogg", "content-length": audio.length });
    res.end(audio);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    script(audio, text) {
      scripts.set(sha(audio), text);
    },
    async scriptManifest(dir) {
      const lines = (await readFile(join(dir, "manifest.jsonl"), "utf8")).split("\n").filter(Boolean);
      for (const line of lines) {
        const entry = JSON.parse(line) as { file: string; text: string };
        scripts.set(sha(await readFile(join(dir, entry.file))), entry.text);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Real English recognition: ffmpeg to 16 kHz WAV, pocketsphinx with a grammar of operator commands. */
async function recognizeEnglish(audio: Uint8Array): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), "voxops-sphinx-"));
  try {
    await writeFile(join(dir, "in.oga"), audio);
    await run(
      "ffmpeg",
      [
        "-loglevel",
        "error",
        "-y",
        "-i",
        join(dir, "in.oga"),
        "-ar",
        "16000",
        "-ac",
        "1",
        join(dir, "in.wav"),
      ],
      {
        timeout: 10_000,
      },
    );
    await writeFile(join(dir, "commands.jsgf"), grammar);
    await writeFile(join(dir, "commands.dict"), await dictionary());
    const { stdout } = await run(
      "pocketsphinx_continuous",
      [
        "-infile",
        join(dir, "in.wav"),
        "-jsgf",
        join(dir, "commands.jsgf"),
        "-dict",
        join(dir, "commands.dict"),
      ].concat(["-logfn", "/dev/null"]),
      { timeout: 20_000 },
    );
    const text = stdout.trim().split("\n").filter(Boolean).join(" ").trim();
    return text === "" ? undefined : text;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const grammar = `#JSGF V1.0;
grammar commands;
public <command> = <restart> | <status> | <logs> | <errors> | <reboot> | <memory>;
<service> = grok voice | admin api | nginx | worker queue | mcp hub | postgresql | billing api;
<restart> = restart <service> [service];
<status> = check the status of all services | status;
<logs> = show me the <service> logs;
<errors> = are there any errors;
<reboot> = reboot the (first | second) (machine | vm) | reboot both machines;
<memory> = how is memory on the (first | second) machine;
`;

const ownWords: Record<string, string> = {
  grok: "G R AA K",
  nginx: "EH N JH IH N EH K S",
  postgresql: "P OW S T G R EH S K Y UW EH L",
  mcp: "EH M S IY P IY",
  vm: "V IY EH M",
};

let dictionaryText: string | undefined;

/** The grammar's words with their pronunciations from the CMU dictionary (plus a few of our own). */
async function dictionary(): Promise<string> {
  if (dictionaryText) return dictionaryText;
  const words = new Set(grammar.replace(/<[^>]+>|#.*|grammar \w+;|public/g, " ").match(/[a-z]+/g) ?? []);
  const cmu = await readFile("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict", "utf8");
  const lines = cmu.split("\n").filter((line) => {
    const word = line.split(/[\s(]/, 1)[0] ?? "";
    return words.has(word) && !(word in ownWords);
  });
  for (const [word, phones] of Object.entries(ownWords)) lines.push(`${word} ${phones}`);
  dictionaryText = `${lines.join("\n")}\n`;
  return dictionaryText;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json" });
  res.end(text);
}
