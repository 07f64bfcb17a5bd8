/** The settings of the `voxops` command itself (status, mcp) and of the sidecar installer. */
import { nodeHostOnlySettings } from "./node-host-settings.ts";
import { flag, httpUrl, type SettingsOf, text } from "./setting.ts";

/** What the command line and the installer read. */
export const cliSettings = {
  VOXOPS_URL: httpUrl({
    description: "the controller `voxops status` and `voxops mcp` talk to",
    features: ["cli"],
    where: ["local"],
    defaultText: "http://127.0.0.1:$PORT",
  }),
  VOXOPS_DEBUG: flag({
    description: "`1` prints a failing command's stack trace",
    features: ["cli"],
    where: ["local"],
  }),
  VOXOPS_DESTDIR: text({
    description: "the installer writes into this directory tree instead of / (tests)",
    features: ["cli"],
    where: ["local"],
  }),
  VOXOPS_POLKIT_VERSION: text({
    description: "the polkit version the installer assumes instead of asking pkaction (tests)",
    features: ["cli"],
    where: ["local"],
  }),
};

/** What `voxops status` and `voxops mcp` read: where the controller is and the token to use. */
export const cliClientSettings = {
  VOXOPS_URL: cliSettings.VOXOPS_URL,
  VOXOPS_API_TOKEN: nodeHostOnlySettings.VOXOPS_API_TOKEN,
  VOXOPS_HOME: nodeHostOnlySettings.VOXOPS_HOME,
  PORT: nodeHostOnlySettings.PORT,
};

/** The client commands' typed settings. */
export type CliClientSettings = SettingsOf<typeof cliClientSettings>;
