/**
 * The Node hosts' settings: the Fly mirror (`voxops mirror`) and the local run (`npm start`) read the
 * controller's settings (edge-settings.ts) and these, which only a process with a port and a disk has.
 */
import { edgeSettings } from "./edge-settings.ts";
import { integer, type SettingsOf, text, textOr } from "./setting.ts";

/** Settings of the Node hosts besides the controller's. */
export const nodeHostOnlySettings = {
  PORT: integer(
    {
      description: "the port the controller listens on (0: any free port, said in the log)",
      features: ["mirror", "local-run"],
      where: ["fly-env", "local"],
      defaultText: "8787 (local run), 8080 (mirror)",
      ifWrong: "the controller cannot start",
    },
    { min: 0, max: 65535, fallback: undefined },
  ),
  VOXOPS_LISTEN_HOST: text({
    description: "the address the mirror listens on",
    features: ["mirror"],
    where: ["fly-env"],
    defaultText: "0.0.0.0",
  }),
  VOXOPS_DB: text({
    description: "the mirror's SQLite file for the controller's state",
    features: ["mirror"],
    where: ["fly-env"],
    defaultText: "/data/controller.db",
  }),
  VOXOPS_LOCAL_VM: textOr(
    {
      description: "the local run's name for this machine (the VM its sidecar connects as)",
      features: ["local-run"],
      where: ["local"],
    },
    "local",
  ),
  VOXOPS_INVENTORY_FILE: text({
    description: "an inventory file: the local run's (it must name VOXOPS_LOCAL_VM) or the sidecar's",
    features: ["local-run", "actions"],
    where: ["local", "sidecar-unit"],
    ifWrong: "the controller cannot start",
  }),
  VOXOPS_HOME: text({
    description: "where the local run keeps its state and generated token and key",
    features: ["local-run", "cli"],
    where: ["local"],
    defaultText: "`.voxops` in the repository",
  }),
  VOXOPS_API_TOKEN: text({
    description:
      "the local run's admin token instead of the generated one; the CLI's and `voxops mcp`'s token",
    features: ["local-run", "cli"],
    where: ["local"],
    secret: true,
  }),
};

/** What a Node host declares: the controller's settings and its own. */
export const nodeHostSettings = { ...edgeSettings, ...nodeHostOnlySettings };

/** A Node host's typed settings. */
export type NodeHostSettings = SettingsOf<typeof nodeHostSettings>;
