/** JSON-lines logging to stderr for the Node host and the sidecar, through the core's one logger. */
import type { LogFn } from "../core/controller.ts";
import { createJsonLog } from "../core/json-log.ts";

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
