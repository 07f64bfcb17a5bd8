/**
 * The hints the local run's banner prints: commands that work as printed, pasted into another shell
 * in the repository. The CLI finds the controller and its token from PORT/VOXOPS_URL and VOXOPS_HOME,
 * so a run started with any of them set gets a hint that carries them.
 */
import { secretsFile } from "./local-state.ts";

/** How the local run was started, as far as its hints need it. */
export interface BannerRun {
  /** The controller's URL as it listens. */
  readonly url: string;
  /** True when the CLI's default (`http://127.0.0.1:8787`, no VOXOPS_URL) reaches this controller. */
  readonly defaultUrl: boolean;
  /** The local run's state directory, and whether it is the default one (VOXOPS_HOME unset). */
  readonly home: string;
  readonly defaultHome: boolean;
  /** True when the API token came from VOXOPS_API_TOKEN rather than the generated one. */
  readonly tokenFromEnv: boolean;
}

/** A value as a POSIX shell word: as is when it is plain, else in single quotes. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The status command that reaches this run from another shell. */
export function statusHint(run: BannerRun): string {
  const env = [
    ...(run.defaultUrl ? [] : [`VOXOPS_URL=${shellWord(run.url)}`]),
    // The token is read from VOXOPS_HOME's local.json; with VOXOPS_API_TOKEN the CLI needs that one instead.
    ...(run.defaultHome || run.tokenFromEnv ? [] : [`VOXOPS_HOME=${shellWord(run.home)}`]),
  ];
  const command = [...env, "npx voxops status"].join(" ");
  return run.tokenFromEnv
    ? `${command}   (with the same VOXOPS_API_TOKEN in that shell's environment)`
    : command;
}

/** The curl command for /agent/health with the token this run accepts. */
export function curlHint(run: BannerRun): string {
  const token = run.tokenFromEnv
    ? "$VOXOPS_API_TOKEN"
    : `$(node -p 'require(${JSON.stringify(secretsFile(run.home))}).apiToken')`;
  return `curl -H "Authorization: Bearer ${token}" ${run.url}/agent/health`;
}
