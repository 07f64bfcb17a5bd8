/** Whether a missing module is declared in a service's manifest (package.json or requirements.txt). */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

/** The manifest's runtime and the package names it declares for production. */
export interface ManifestInfo {
  readonly runtime: "node" | "python";
  readonly declared: readonly string[];
}

/** Python import names whose distribution is called differently (import → distribution). */
const PYTHON_DISTRIBUTIONS: Readonly<Record<string, string>> = {
  yaml: "pyyaml",
  pil: "pillow",
  cv2: "opencv-python",
  bs4: "beautifulsoup4",
  sklearn: "scikit-learn",
  dateutil: "python-dateutil",
  dotenv: "python-dotenv",
  jwt: "pyjwt",
  telegram: "python-telegram-bot",
  magic: "python-magic",
  attr: "attrs",
  serial: "pyserial",
  crypto: "pycryptodome",
};

/** PEP 503 normalisation: case-insensitive, runs of -_. are one dash. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** Parses requirements.txt: the names of the lines that name a package (no options, URLs or paths). */
export function parseRequirements(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
    if (!line.startsWith("-") && m?.[1]) out.push(normalisePythonName(m[1]));
  }
  return out;
}

/** Reads a manifest; null when it is missing or neither kind. */
export async function readManifest(path: string): Promise<ManifestInfo | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return null;
  }
  const name = basename(path);
  if (name === "package.json") {
    try {
      const pkg = JSON.parse(text) as Record<string, unknown>;
      const names = ["dependencies", "optionalDependencies"].flatMap((k) => {
        const deps = pkg[k];
        return typeof deps === "object" && deps !== null ? Object.keys(deps) : [];
      });
      return { runtime: "node", declared: names };
    } catch {
      return null;
    }
  }
  if (/requirements.*\.txt$/.test(name)) return { runtime: "python", declared: parseRequirements(text) };
  return null;
}

/** True when `module` (as the error names it) is one of the declared packages. */
export function isDeclared(manifest: ManifestInfo, module: string): boolean {
  if (manifest.runtime === "node") {
    const pkg = module.startsWith("@") ? module.split("/").slice(0, 2).join("/") : module.split("/")[0];
    return pkg !== undefined && manifest.declared.includes(pkg);
  }
  const top = (module.split(".")[0] ?? module).toLowerCase();
  const candidates = [normalisePythonName(top), PYTHON_DISTRIBUTIONS[top]].filter(
    (c): c is string => c !== undefined,
  );
  return candidates.some((c) => manifest.declared.includes(c));
}
