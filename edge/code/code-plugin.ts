/** Programming by voice as a runtime plugin: the code desk for code requests, its `ca:` apply button and its routes. */
import type { RuntimePlugin } from "../core/runtime-plugin.ts";
import { createCodeRuntime } from "./code-runtime.ts";

/** Creates the code plugin; without a usable LLM the built-in engine is off and requests say what to set. */
export function createCodePlugin(): RuntimePlugin {
  return {
    name: "code desk",
    attach(context) {
      const code = createCodeRuntime({
        controller: context.controller,
        inventory: context.inventory,
        desk: context.desk,
        llm: context.llm,
        host: context.llmHost,
        created: context.created,
      });
      return {
        code: code.onCodeText,
        codeClaims: code.claims,
        buttons: { ca: code.applyButton },
        mount: code.mount,
        // The sidecar announces what voxops created on its VM (at connect and at each change): the
        // controller's record follows, so status, commands and words know a service at once.
        onHello: (vm, frame) => {
          if (frame.created) context.created.replace(vm, frame.created);
        },
      };
    },
  };
}
