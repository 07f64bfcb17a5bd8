/**
 * How the sidecar gets services and scripts installed: through the root helper on an installed VM
 * (`sudo -n voxops-helper create-service …`; the sidecar's user cannot write unit files), or directly
 * when it has no helper (the local run, the tests' sidecar running as root).
 */
import type { VmSpec } from "../../protocol/inventory.ts";
import { execArgv, tail } from "../adapters/exec.ts";
import type { Adapters } from "../adapters/index.ts";
import { ActionError } from "../services/handler.ts";
import type { CreatedRecord, CreatedRegistry } from "./created-registry.ts";
import {
  CreationRefused,
  type InstallPlace,
  installScript,
  installService,
  removeCreated,
} from "./install-created.ts";

/** The privileged creation steps. */
export interface Creator {
  createService(req: {
    name: string;
    port: number;
    entry: string;
    healthPath: string;
    staging: string;
    request: string;
  }): Promise<CreatedRecord>;
  createScript(req: {
    name: string;
    language: "bash" | "python";
    schedule?: string | undefined;
    staging: string;
    request: string;
  }): Promise<CreatedRecord & { nextElapse?: string }>;
  remove(name: string): Promise<CreatedRecord>;
}

const REFUSED = 3;

/** Turns an installer failure into the action's error: refusals say what the inventory allows. */
function asActionError(e: unknown): ActionError {
  if (e instanceof ActionError) return e;
  if (e instanceof CreationRefused) return new ActionError("refused", e.message);
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return new ActionError(
      "create-failed",
      `this sidecar may not write ${(e as NodeJS.ErrnoException).path ?? "there"} and has no root helper: install it with deploy/install-sidecar.sh, whose helper creates services and scripts; nothing was created`,
    );
  return new ActionError("create-failed", (e as Error).message);
}

/**
 * The creator for this sidecar: the helper when it has one, else the installer in this process. After
 * each step the sidecar's in-memory registry (when it has one) reads the file again, so the new service
 * is in its inventory, watched and announced at once.
 */
export function createCreator(
  adapters: Adapters,
  vm: VmSpec,
  registry: string,
  memory?: CreatedRegistry,
): Creator {
  const inner = createInstaller(adapters, vm, registry);
  if (!memory) return inner;
  const thenRead = async <T>(step: Promise<T>): Promise<T> => {
    try {
      return await step;
    } finally {
      memory.refresh({ force: true });
    }
  };
  return {
    createService: (req) => thenRead(inner.createService(req)),
    createScript: (req) => thenRead(inner.createScript(req)),
    remove: (name) => thenRead(inner.remove(name)),
  };
}

function createInstaller(adapters: Adapters, vm: VmSpec, registry: string): Creator {
  const helper = adapters.privilege?.helper;
  if (!helper) {
    const place: InstallPlace = {
      vm,
      registry,
      unitDir: adapters.env["VOXOPS_UNIT_DIR"] ?? "/etc/systemd/system",
      env: adapters.env,
    };
    const direct = async <T>(run: () => Promise<T>): Promise<T> => {
      try {
        return await run();
      } catch (e) {
        throw asActionError(e);
      }
    };
    return {
      createService: (req) => direct(() => installService(place, req)),
      createScript: (req) =>
        direct(() =>
          installScript(place, {
            name: req.name,
            language: req.language,
            staging: req.staging,
            request: req.request,
            ...(req.schedule ? { schedule: req.schedule } : {}),
          }),
        ),
      remove: (name) => direct(() => removeCreated(place, name)),
    };
  }
  const call = async (args: string[], input: string) => {
    const r = await execArgv("sudo", ["-n", helper, ...args], {
      env: adapters.env,
      timeoutMs: 180_000,
      input,
    });
    if (r.code !== 0)
      throw new ActionError(
        r.code === REFUSED ? "refused" : "create-failed",
        tail(r.stderr || r.stdout, 6).replace(/^voxops-helper: /, ""),
      );
    const line = r.stdout.trim().split("\n").at(-1) ?? "{}";
    return JSON.parse(line) as CreatedRecord & { nextElapse?: string };
  };
  return {
    // The request text goes on stdin: it is free text and never an argument.
    createService: (req) =>
      call(
        ["create-service", req.name, String(req.port), req.entry, req.healthPath, req.staging],
        req.request,
      ),
    createScript: (req) =>
      call(
        ["create-script", req.name, req.language, req.staging, ...(req.schedule ? [req.schedule] : [])],
        req.request,
      ),
    remove: (name) => call(["remove-created", name], ""),
  };
}
