/** Whether a missing module is declared in a service's manifest (package.json or requirements.txt). */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

/** The manifest's runtime and the package names it declares for production. */
export interface ManifestInfo {
  readonly runtime: "node" | "python";
  readonly declared: readonly string[];
}

/**
 * Python import names whose distribution is called differently (import → distributions that provide
 * it), from the packages' own documentation; names that only add a python-/py prefix or a -binary /
 * -headless suffix are found without this table.
 */
const PYTHON_DISTRIBUTIONS: Readonly<Record<string, readonly string[]>> = {
  yaml: ["pyyaml"],
  "google.protobuf": ["protobuf"],
  pil: ["pillow"],
  cv2: ["opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"],
  bs4: ["beautifulsoup4"],
  sklearn: ["scikit-learn"],
  skimage: ["scikit-image"],
  mysqldb: ["mysqlclient"],
  psycopg2: ["psycopg2-binary"],
  psycopg: ["psycopg-binary"],
  dateutil: ["python-dateutil"],
  dotenv: ["python-dotenv"],
  jwt: ["pyjwt"],
  jose: ["python-jose"],
  telegram: ["python-telegram-bot"],
  magic: ["python-magic"],
  multipart: ["python-multipart"],
  attr: ["attrs"],
  serial: ["pyserial"],
  usb: ["pyusb"],
  crypto: ["pycryptodome", "pycrypto"],
  cryptodome: ["pycryptodomex"],
  openssl: ["pyopenssl"],
  nacl: ["pynacl"],
  zmq: ["pyzmq"],
  git: ["gitpython"],
  docx: ["python-docx"],
  pptx: ["python-pptx"],
  fitz: ["pymupdf"],
  socks: ["pysocks"],
  dns: ["dnspython"],
  ldap: ["python-ldap"],
  kafka: ["kafka-python"],
  slugify: ["python-slugify"],
  levenshtein: ["python-levenshtein", "levenshtein"],
  pkg_resources: ["setuptools"],
  mpl_toolkits: ["matplotlib"],
  google: ["protobuf"],
  grpc: ["grpcio"],
  win32api: ["pywin32"],
  sentry_sdk: ["sentry-sdk"],
  websocket: ["websocket-client"],
  engineio: ["python-engineio"],
  socketio: ["python-socketio"],
  memcache: ["python-memcached"],
  ruamel: ["ruamel-yaml"],
  markdown: ["markdown"],
  faiss: ["faiss-cpu", "faiss-gpu"],
  tensorflow: ["tensorflow-cpu", "tensorflow"],
  torch: ["torch"],
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

/** The declared package that provides `module` (as the error names it); null when none does. */
export function declaringPackage(manifest: ManifestInfo, module: string): string | null {
  if (manifest.runtime === "node") {
    const pkg = module.startsWith("@") ? module.split("/").slice(0, 2).join("/") : module.split("/")[0];
    return pkg !== undefined && manifest.declared.includes(pkg) ? pkg : null;
  }
  const parts = module.split(".");
  const top = (parts[0] ?? module).toLowerCase();
  const norm = normalisePythonName(top);
  // A namespace package is installed as its dotted name with dashes (google.cloud.storage → google-cloud-storage).
  const dotted = parts.slice(1).map((_, i) => normalisePythonName(parts.slice(0, i + 2).join("-")));
  const candidates = [
    norm,
    ...dotted,
    ...(PYTHON_DISTRIBUTIONS[top.replace(/-/g, "_")] ?? []),
    // A submodule of a namespace whose distribution has another name (google.protobuf → protobuf).
    ...parts.slice(1).flatMap(
      (_, i) =>
        PYTHON_DISTRIBUTIONS[
          parts
            .slice(0, i + 2)
            .join(".")
            .toLowerCase()
        ] ?? [],
    ),
    `python-${norm}`,
    `py${norm}`,
    `py-${norm}`,
    `${norm}-python`,
    `${norm}-binary`,
    `${norm}-headless`,
    `${norm}-py`,
  ];
  return candidates.find((c) => manifest.declared.includes(c)) ?? null;
}

/** True when `module` (as the error names it) is one of the declared packages. */
export function isDeclared(manifest: ManifestInfo, module: string): boolean {
  return declaringPackage(manifest, module) !== null;
}
