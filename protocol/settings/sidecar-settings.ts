/** The sidecar's settings: its unit's `Environment=` lines and `/etc/voxops/sidecar.env` (the key). */
import { flag, integer, list, oneOf, positive, type SettingsOf, text } from "./setting.ts";

const unit = ["sidecar-unit", "local"] as const;

/** Everything a sidecar reads from its environment. */
export const sidecarSettings = {
  VOXOPS_SIDECAR_KEY: text(
    {
      description: "this VM's key, as the controller has it in VOXOPS_SIDECAR_KEYS",
      features: ["link"],
      where: ["sidecar-env-file", "local"],
      secret: true,
      ifWrong: "the sidecar cannot start",
    },
    { pattern: /^.{16,}$/, expected: "this VM's key, 16 characters or more" },
  ),
  VOXOPS_CONTROLLERS: list(
    {
      description: "the controllers' URLs, edge first, then the mirror (or `--controller`)",
      features: ["link"],
      where: ["sidecar-env-file"],
    },
    "URLs separated by commas",
  ),
  VOXOPS_VM: text(
    {
      description: "this VM's name in the inventory (or `--vm`)",
      features: ["link"],
      where: unit,
      ifWrong: "the sidecar cannot start",
    },
    { pattern: /^[a-z0-9][a-z0-9-]{0,62}$/, expected: "a VM name: lowercase letters, digits and dashes" },
  ),
  VOXOPS_INVENTORY_FILE: text({
    description: "the inventory file (or `--inventory`)",
    features: ["actions"],
    where: unit,
    defaultText: "/etc/voxops/inventory.json (doctor)",
  }),
  VOXOPS_STATE_DIR: text({
    description: "where the sidecar keeps its state (backups' clone, code snapshots)",
    features: ["actions"],
    where: unit,
    defaultText: "/var/lib/voxops",
  }),
  VOXOPS_CREATED_FILE: text({
    description: "the record of services, scripts and timers voxops created on this VM",
    features: ["actions"],
    where: unit,
    defaultText: "created.json beside the inventory file, else in the state directory",
  }),
  VOXOPS_UNIT_DIR: text({
    description: "where created units are written when no root helper is configured (tests, root runs)",
    features: ["actions"],
    where: unit,
    defaultText: "/etc/systemd/system",
  }),
  VOXOPS_HELPER: text({
    description: "the root helper's wrapper the sidecar runs through sudo (set by the installer)",
    features: ["actions"],
    where: ["sidecar-unit"],
  }),
  VOXOPS_AGENT_PATHS: text({
    description: "colon-separated absolute paths of the sidecar's own files, which no action may touch",
    features: ["actions"],
    where: ["sidecar-unit"],
  }),
  VOXOPS_SYSTEMCTL: text({
    description: "the systemctl program (tests use a stand-in)",
    features: ["actions"],
    where: ["local"],
    defaultText: "systemctl",
  }),
  VOXOPS_JOURNALCTL: text({
    description: "the journalctl program (tests use a stand-in)",
    features: ["actions"],
    where: ["local"],
    defaultText: "journalctl",
  }),
  VOXOPS_GIT: text({
    description: "the git program (tests use a stand-in)",
    features: ["actions"],
    where: ["local"],
    defaultText: "git",
  }),
  VOXOPS_HEARTBEAT_S: positive(
    { description: "how often the sidecar sends a heartbeat, in seconds", features: ["link"], where: unit },
    { unit: "seconds", fallback: 10 },
  ),
  VOXOPS_BACKUP_EVERY_H: positive(
    { description: "hours between scheduled backups; 0 = off", features: ["backup"], where: unit },
    { unit: "hours", fallback: 24, zero: true },
  ),
  VOXOPS_AUTOFIX: oneOf(
    {
      description: "`on`: repair; `dry-run`: report the plan, change nothing; `off`: report findings only",
      features: ["autofix"],
      where: unit,
      ifWrong: "auto-fix stays on",
      // Unset leaves the mode to VOXOPS_AUTOFIX_FILE, then to "on".
      defaultText: "on",
    },
    ["on", "dry-run", "off"],
    undefined,
  ),
  VOXOPS_AUTOFIX_RULES: text(
    {
      description: "rules switched on or off: `import-error:on,port-in-use:off`",
      features: ["autofix"],
      where: unit,
      ifWrong: "every rule stays on",
    },
    {
      pattern: /^\s*[a-z][a-z0-9-]*:(on|off|true|false)\s*(,\s*[a-z][a-z0-9-]*:(on|off|true|false)\s*)*,?$/,
      expected: "rule:on or rule:off pairs separated by commas",
    },
  ),
  VOXOPS_AUTOFIX_FILE: text({
    description: "a JSON file with an `autofix` object (mode, rules, perHour, …); the environment wins",
    features: ["autofix"],
    where: unit,
  }),
  VOXOPS_PEERS: text(
    {
      description: "peers to probe over the private network: `vm2=http://10.0.0.2:8790`, comma-separated",
      features: ["peer"],
      where: unit,
    },
    {
      pattern: /^\s*[a-z0-9-]+=\S+\s*(,\s*[a-z0-9-]+=\S+\s*)*,?$/,
      expected: "vm=URL pairs separated by commas",
    },
  ),
  VOXOPS_PEER_LISTEN: text(
    {
      description: "the private address to answer peer probes on (`10.0.0.1:8790`)",
      features: ["peer"],
      where: unit,
    },
    {
      pattern: /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/,
      expected: "an address and a port, like 10.0.0.1:8790",
    },
  ),
  VOXOPS_PEER_KEY: text({
    description: "the HMAC key the peers share",
    features: ["peer"],
    where: ["sidecar-env-file", "local"],
    secret: true,
  }),
  VOXOPS_PEER_PROBE_S: positive(
    { description: "seconds between peer probes", features: ["peer"], where: unit },
    { unit: "seconds", fallback: 60 },
  ),
  VOXOPS_PEER_ATTEMPTS: integer(
    { description: "tries within one peer probe", features: ["peer"], where: unit },
    { min: 1, max: 10, fallback: 3 },
  ),
  VOXOPS_PEER_TIMEOUT_MS: integer(
    { description: "how long one peer probe try waits", features: ["peer"], where: unit },
    { min: 50, max: 60_000, unit: "milliseconds", fallback: 1000 },
  ),
  VOXOPS_LEASE: oneOf(
    { description: "`off` stops this sidecar voting in the fencing lease", features: ["lease"], where: unit },
    ["on", "off"],
    "on",
  ),
  VOXOPS_LEASE_TTL_S: positive(
    { description: "how long a lease vote lasts, in seconds", features: ["lease"], where: unit },
    { unit: "seconds", fallback: 90 },
  ),
  VOXOPS_LEASE_SLACK_S: positive(
    {
      description: "the safety margin between votes for different controllers, in seconds",
      features: ["lease"],
      where: unit,
    },
    { unit: "seconds", fallback: 10 },
  ),
  VOXOPS_QUIET: flag({ description: "`1` leaves info lines out of the log", features: [], where: unit }),
};

/** The sidecar's typed settings. */
export type SidecarSettings = SettingsOf<typeof sidecarSettings>;
