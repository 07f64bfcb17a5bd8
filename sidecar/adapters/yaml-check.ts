/**
 * The YAML check for config edits, done by the `yaml` library (YAML 1.2, duplicate keys refused). The
 * library is imported on first use, so an idle sidecar that never validates a YAML file does not load it.
 */

/** A YAML problem: its 1-based line and the parser's message. */
export interface YamlProblem {
  line: number;
  message: string;
}

/** The first problem in `text` (every document of a multi-document file), or null when it is valid YAML. */
export async function checkYaml(text: string): Promise<YamlProblem | null> {
  const { LineCounter, parseAllDocuments } = await import("yaml");
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line;
      return { line, message: firstSentence(error.message) };
    }
  }
  return null;
}

/** The parser's message without the source excerpt it may append. */
function firstSentence(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "").trim();
}
