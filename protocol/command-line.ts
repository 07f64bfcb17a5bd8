/**
 * One way for every `voxops` command to read its command line: `node:util` parseArgs in strict mode,
 * `--help`/`-h` printing the command's help, and bad options answered with a sentence, not a stack.
 */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/** What a command declares about its command line. */
export interface CommandLineSpec<O extends ParseArgsOptionsConfig> {
  /** The command's name as typed after `voxops`. */
  readonly name: string;
  /** The whole help text: a `usage:` line, what the command does, and its options. */
  readonly help: string;
  /** The options, as parseArgs takes them (`--help` is added). */
  readonly options: O;
  /** Whether the command takes positional arguments (default: no). */
  readonly positionals?: boolean;
}

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: boolean }>
>["values"];

/** The parsed command line, or the exit code when the command must not run (help printed, or a bad option). */
export type CommandLine<O extends ParseArgsOptionsConfig> =
  | { readonly run: true; readonly values: Values<O>; readonly positionals: string[] }
  | { readonly run: false; readonly exitCode: number };

/** Where the command line's messages go (the process's streams by default). */
export interface CommandLineOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: CommandLineOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Parses `argv` for a command: prints help on `--help`, or a one-line error on a bad command line. */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(
  spec: CommandLineSpec<O>,
  argv: readonly string[],
  out: CommandLineOutput = processOutput,
): CommandLine<O> {
  if (argv.includes("--help") || argv.includes("-h")) {
    out.stdout(spec.help.endsWith("\n") ? spec.help : `${spec.help}\n`);
    return { run: false, exitCode: 0 };
  }
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: spec.options,
      strict: true,
      allowPositionals: spec.positionals ?? false,
    });
    return { run: true, values: parsed.values as Values<O>, positionals: parsed.positionals };
  } catch (error) {
    out.stderr(
      `voxops ${spec.name}: ${describeParseError(error, spec)} Run "voxops ${spec.name} --help" for its options.\n`,
    );
    return { run: false, exitCode: 2 };
  }
}

/** Turns a parseArgs error into one sentence about what was typed. */
function describeParseError(error: unknown, spec: CommandLineSpec<ParseArgsOptionsConfig>): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  const option = quoted.split(" ")[0] ?? quoted;
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `there is no option ${option}.`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = option.replace(/^-+/, "");
      const known = spec.options[name] ?? Object.values(spec.options).find((o) => `-${o.short}` === option);
      return known?.type === "boolean" ? `${option} takes no value.` : `${option} needs a value.`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted}": this command takes only options.`;
    default:
      return `cannot read the command line (${message}).`;
  }
}
