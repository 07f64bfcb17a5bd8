/** JSON-lines logging to stderr for the Node host and the sidecar, with secrets scrubbed. */
import { redact } from "../core/audit.ts";
import type { LogFn } from "../core/controller.ts";

/** Creates a logger that writes one JSON object a line; `quiet` drops info lines. */
export function createStderrLog(options: {
  name: string;
  secrets?: () => readonly string[];
  quiet?: boolean;
}): LogFn {
  const secrets = options.secrets ?? (() => []);
  return (level, message, fields = {}) => {
    if (options.quiet && level === "info") return;
    const line = {
      t: new Date().toISOString(),
      level,
      from: options.name,
      msg: message,
      ...(redact(fields, secrets()) as object),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
}
