/**
 * Fetching a voice note from Telegram: the declared size is checked against the Bot API's 20 MB
 * download limit before getFile, and again while downloading. URLs (they hold the token) never
 * appear in results or errors.
 */
import { type Api, GrammyError } from "grammy";
import type { Voice } from "grammy/types";

/** The Bot API lets bots download files up to 20 MB. */
export const maxDownloadBytes = 20 * 1024 * 1024;

/** Where files are downloaded from. */
export interface VoiceSource {
  readonly token: string;
  /** The Bot API root, default https://api.telegram.org. */
  readonly apiRoot: string;
  readonly fetch: (url: string, init?: RequestInit) => Promise<Response>;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
}

/** The voice note's bytes, or why there are none. */
export type VoiceDownload =
  | { readonly ok: true; readonly audio: Uint8Array }
  | { readonly ok: false; readonly reason: "too_big"; readonly bytes: number }
  | { readonly ok: false; readonly reason: "failed"; readonly detail: string };

/** Downloads a voice note, refusing anything over the limit without fetching it. */
export async function downloadVoice(api: Api, source: VoiceSource, voice: Voice): Promise<VoiceDownload> {
  const max = source.maxBytes ?? maxDownloadBytes;
  if (voice.file_size !== undefined && voice.file_size > max)
    return { ok: false, reason: "too_big", bytes: voice.file_size };
  let path: string | undefined;
  try {
    const file = await api.getFile(voice.file_id);
    if (file.file_size !== undefined && file.file_size > max)
      return { ok: false, reason: "too_big", bytes: file.file_size };
    path = file.file_path;
  } catch (error) {
    if (error instanceof GrammyError && error.description.includes("file is too big")) {
      return { ok: false, reason: "too_big", bytes: voice.file_size ?? max + 1 };
    }
    return {
      ok: false,
      reason: "failed",
      detail: error instanceof GrammyError ? error.description : "getFile failed",
    };
  }
  if (!path) return { ok: false, reason: "failed", detail: "getFile gave no file_path" };
  const url = `${source.apiRoot.replace(/\/+$/, "")}/file/bot${source.token}/${path}`;
  let response: Response;
  try {
    response = await source.fetch(url, { signal: AbortSignal.timeout(source.timeoutMs ?? 30_000) });
  } catch {
    return { ok: false, reason: "failed", detail: "the download did not complete" };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: "failed", detail: `the download answered HTTP ${response.status}` };
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > max) {
    await response.body?.cancel();
    return { ok: false, reason: "too_big", bytes: declared };
  }
  const audio = new Uint8Array(await response.arrayBuffer());
  if (audio.length > max) return { ok: false, reason: "too_big", bytes: audio.length };
  if (audio.length === 0) return { ok: false, reason: "failed", detail: "the downloaded file is empty" };
  return { ok: true, audio };
}
