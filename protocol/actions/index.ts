/** The registry of action definitions: every action voxops can run, keyed by name. */
import { backup } from "./backup.ts";
import { codeAgent } from "./code-agent.ts";
import { codeApply } from "./code-apply.ts";
import { codeList } from "./code-list.ts";
import { codeRead } from "./code-read.ts";
import { codeRevert } from "./code-revert.ts";
import { codeSearch } from "./code-search.ts";
import { config } from "./config.ts";
import { createdList } from "./created-list.ts";
import { createdRemove } from "./created-remove.ts";
import { deploy } from "./deploy.ts";
import { errors } from "./errors.ts";
import { files } from "./files.ts";
import { fix } from "./fix.ts";
import { logs } from "./logs.ts";
import { metrics } from "./metrics.ts";
import { probe } from "./probe.ts";
import { reboot } from "./reboot.ts";
import { restart } from "./restart.ts";
import { restartSidecar } from "./restart-sidecar.ts";
import { restore } from "./restore.ts";
import { scriptCreate } from "./script-create.ts";
import { scriptRun } from "./script-run.ts";
import { serviceCreate } from "./service-create.ts";
import { status } from "./status.ts";

/** Every action's definition, keyed by its name (a route generator, the LLM's tools and help iterate over it). */
export const actionDefinitions = {
  status,
  logs,
  metrics,
  errors,
  files,
  restart,
  fix,
  config,
  deploy,
  backup,
  restore,
  reboot,
  "restart-sidecar": restartSidecar,
  probe,
  "code-list": codeList,
  "code-read": codeRead,
  "code-search": codeSearch,
  "code-apply": codeApply,
  "code-revert": codeRevert,
  "code-agent": codeAgent,
  "service-create": serviceCreate,
  "script-create": scriptCreate,
  "script-run": scriptRun,
  "created-list": createdList,
  "created-remove": createdRemove,
} as const;
