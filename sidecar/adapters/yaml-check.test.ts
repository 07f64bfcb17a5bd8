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
];

const invalid: [string, RegExp][] = [
  ["a: 1\n\tb: 2\n", /tab/],
  ["server:\n  port: 8080\n  port: 9090\n", /duplicate key "port"/],
  ["name: web\n  port: 80\n", /mapping values are not allowed/],
  ['a: "unclosed\nb: 1\n', /unclosed double quote/],
  ["a: [1, 2\nb: 3\n", /never closed/],
  ["a: 1]\n", /closing bracket/],
];

describe("checkYaml", () => {
  it.each(valid)("accepts valid YAML %#", (text) => {
    expect(checkYaml(text)).toBeNull();
  });
  it.each(invalid)("rejects %j", (text, why) => {
    expect(checkYaml(text)?.message).toMatch(why);
  });
});
