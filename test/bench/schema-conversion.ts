/**
 * `npm run bench:schemas`: the CPU time converting the zod schemas to JSON Schema takes (the OpenAPI
 * document alone, then everything `npm run build:schemas` writes), first run and the median of five
 * more: the work a host would do on a cold start if it converted at run time. Prints figures; asserts
 * nothing.
 */
import { cpuUsage } from "node:process";
import { currentSchemas } from "../../deploy/write-json-schemas.ts";
import { openApiDocument } from "../../edge/openapi-document.ts";

/** CPU milliseconds (user + system) `work` takes. */
function cpuMs(work: () => unknown): number {
  const start = cpuUsage();
  work();
  const used = cpuUsage(start);
  return (used.user + used.system) / 1000;
}

for (const [name, work] of [
  ["the OpenAPI document", openApiDocument],
  ["every generated schema", currentSchemas],
] as const) {
  const first = cpuMs(work);
  const again = Array.from({ length: 5 }, () => cpuMs(work)).sort((a, b) => a - b);
  process.stdout.write(
    `${name}: first ${first.toFixed(0)} ms CPU, then median ${again[2]?.toFixed(0)} ms CPU\n`,
  );
}
