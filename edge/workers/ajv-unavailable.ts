/**
 * Takes the place of `ajv` and `ajv-formats` in the Worker bundle (wrangler.toml `[alias]`): ajv
 * compiles validators with `new Function`, which Workers forbid, so voxops gives the MCP SDK the
 * cfworker validator and the SDK never builds an Ajv. Keeps ~270 KiB of dead code out of the Worker.
 */
export default class AjvUnavailable {
  constructor() {
    throw new Error("ajv cannot run in a Worker; give the MCP SDK a CfWorkerJsonSchemaValidator");
  }
}
