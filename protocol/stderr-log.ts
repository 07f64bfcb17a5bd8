/** JSON-lines logging to stderr for the Node host and the sidecar, through the one JSON logger. */
import type { LogFn } from "./json-log.ts";
import { createJsonLog } from "./json-log.ts";

/** Creates a logger that writes one JSON object a line to stderr; `quiet` drops info lines. */
export function createStderrLog(options: {
  name: string;
  secrets?: () => readonly string[];
  quiet?: boolean;
}): LogFn {
  return createJsonLog({
    from: options.name,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.quiet ? { quiet: true } : {}),
    write: (_level, line) => {
      process.stderr.write(`${line}\n`);
    },
  });
}
