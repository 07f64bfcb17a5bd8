/** Every deployable's declarations, and the names any of them knows (so that a typo can be told from a setting of another deployable). */
import { cliSettings } from "./cli-settings.ts";
import { edgeSettings } from "./edge-settings.ts";
import { nodeHostOnlySettings } from "./node-host-settings.ts";
import type { Declarations } from "./setting.ts";
import { sidecarSettings } from "./sidecar-settings.ts";

/** The deployables and their own declarations, as the README documents them. */
export const deployables: ReadonlyArray<{
  readonly id: string;
  readonly title: string;
  readonly settings: Declarations;
}> = [
  { id: "edge", title: "The controller (edge Worker, Fly mirror, local run)", settings: edgeSettings },
  { id: "node-host", title: "The Node hosts only (Fly mirror, local run)", settings: nodeHostOnlySettings },
  { id: "sidecar", title: "The sidecar", settings: sidecarSettings },
  { id: "cli", title: "The command line and the installer", settings: cliSettings },
];

/** Every declared name. */
export const knownSettingNames: readonly string[] = [
  ...new Set(deployables.flatMap((d) => Object.keys(d.settings))),
];

/** Every name a deployable declares as a secret: kept out of logs, the audit and child processes. */
export const secretSettingNames: readonly string[] = [
  ...new Set(
    deployables.flatMap((d) => Object.entries(d.settings).flatMap(([name, s]) => (s.secret ? [name] : []))),
  ),
];
