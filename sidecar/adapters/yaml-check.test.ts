import { describe, expect, it } from "vitest";
import { checkYaml } from "./yaml-check.ts";

const valid = [
  "a: 1\nb: two\n",
  "server:\n  port: 8080\n  hosts:\n    - a.example\n    - b.example\n  tls: { enabled: true, cert: '/etc/x.pem' }\n",
  "# comment\nlist:\n- name: x\n  value: 1\n- name: y\n  value: 2\n",
  "script: |\n  echo a: b\n  key: value\nnext: 1\n",
  "base: &b\n  x: 1\nderived:\n  <<: *b\n  y: 2\n",
  "---\na: 1\n---\na: 2\n",
  'quoted: "a: b # not a comment"\nurl: http://x:80/a#frag\n',
  "multi: [1, 2,\n  3]\nafter: true\n",
  "empty:\nnull_value: ~\n",
  "it's: fine\nname: O'Brien\n",
  // Multi-line quoted scalars: the hand-written check refused these.
  'message: "first line\n  second line"\nnext: 1\n',
  "greeting: 'hello\n  world, it''s me'\n",
  "plain: 1]\n",
];

const invalid: [string, number, RegExp][] = [
  ["a: 1\n\tb: 2\n", 2, /tab/i],
  ["server:\n  port: 8080\n  port: 9090\n", 3, /unique/],
  ["name: web\n  port: 80\n", 1, /nested mappings/i],
  ['a: "unclosed\nb: 1\n', 3, /quote/],
  ["a: [1, 2\nb: 3\n", 2, /\]/],
  // Invalid YAML the hand-written check accepted.
  ["a: b: c\n", 1, /nested mappings/i],
  ["key: 'x'y\n", 1, /unexpected/i],
  ["- a\nb: 1\n", 2, /unexpected/i],
  ["a:\n  - x\n  y: 1\n", 3, /same column/],
  ["---\na: 1\n---\na: [\n", 5, /\]/],
];

describe("checkYaml", () => {
  it.each(valid)("accepts valid YAML %#", async (text) => {
    expect(await checkYaml(text)).toBeNull();
  });
  it.each(invalid)("refuses %j at line %i", async (text, line, why) => {
    const problem = await checkYaml(text);
    expect(problem?.line).toBe(line);
    expect(problem?.message).toMatch(why);
  });
});
