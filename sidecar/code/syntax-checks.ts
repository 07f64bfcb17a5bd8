/** Built-in syntax checks by language for the files a change writes: `node --check`, Python's compile, `bash -n`. */
import { extname } from "node:path";

/** One check: the program and its arguments (never a shell string). */
export interface SyntaxCheck {
  readonly name: string;
  readonly argv: readonly string[];
}

/** Python's own compiler over one file, without writing a .pyc into the tree. */
const PY_COMPILE = "import sys; compile(open(sys.argv[1], encoding='utf-8').read(), sys.argv[1], 'exec')";

/** The syntax check for a file by its extension, or null when voxops knows none for it. */
export function syntaxCheckFor(absPath: string, node = process.execPath): SyntaxCheck | null {
  switch (extname(absPath)) {
    case ".js":
    case ".mjs":
    case ".cjs":
      return { name: `node --check ${absPath}`, argv: [node, "--check", absPath] };
    case ".py":
      return { name: `python3 compile ${absPath}`, argv: ["python3", "-c", PY_COMPILE, absPath] };
    case ".sh":
    case ".bash":
      return { name: `bash -n ${absPath}`, argv: ["bash", "-n", absPath] };
    default:
      return null;
  }
}
