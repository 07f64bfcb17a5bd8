/** Recognises secrets so they never reach the backup repository: by file name and by content. */
import { basename } from "node:path";

/** File names that hold secrets by convention. */
const SECRET_NAMES: RegExp[] = [
  /^\.env(\..*)?$/i,
  /\.env$/i,
  /\.(pem|key|p12|pfx|jks|keystore|kdbx|gpg|asc|ppk)$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)/i,
  /token/i,
  /secret/i,
  /^credentials/i,
  /password/i,
  /^\.(netrc|pgpass|npmrc|pypirc|git-credentials|htpasswd)$/i,
  /^authorized_keys$/i,
  /^known_hosts$/i,
];

/** Content that must never be published, whatever the file is called. */
const SECRET_CONTENT: [RegExp, string][] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/, "a private key"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, "a GitHub token"],
  [/\bxox[baprs]-[A-Za-z0-9-]{10,}\b/, "a Slack token"],
  [/\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/, "a Telegram bot token"],
  [/\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/, "an API key"],
  // A value given to a secret-named setting in any config syntax (KEY=v, key: v, "key": "v", key = v):
  // the value must look generated (8+ characters with a digit), not a type, a path or a reference.
  [
    /(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]{1,40}[_.-]){0,6}(?:password|passwd|passphrase|pwd|secret|token|credentials?|api[_-]?key|apikey|(?:[A-Za-z0-9]{1,40}[_.-])key)["']?[ \t]*[:=][ \t]*["']?(?![$/{<%(])(?=[^\s"'#;,]*\d)[^\s"'#;,]{8,}/im,
    "a secret-named setting's value",
  ],
  [/\b(?:Bearer|Basic)[ \t]+[A-Za-z0-9+/=._~-]{16,}/, "an Authorization header's credentials"],
  [/\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/]{1,200}:[^\s@/]{4,200}@/i, "a password inside a URL"],
];

/** Why a path looks like a secret (any segment counts), or null. */
export function secretName(path: string): string | null {
  for (const segment of path.split("/").filter((s) => s !== "")) {
    const hit = SECRET_NAMES.find((re) => re.test(segment));
    if (hit) return `name "${basename(segment)}" looks like a secret`;
  }
  return null;
}

/** What secret the content seems to hold, or null. */
export function secretContent(content: Buffer | string): string | null {
  const text = typeof content === "string" ? content : content.toString("latin1");
  for (const [re, what] of SECRET_CONTENT) if (re.test(text)) return `content holds ${what}`;
  return null;
}
