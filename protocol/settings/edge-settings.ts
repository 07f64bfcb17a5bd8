/**
 * The controller's settings: what the edge Worker reads from its secrets and `wrangler.toml` vars,
 * and what the Node hosts (the Fly mirror, the local run) read from their environment besides their
 * own (see node-host-settings.ts). Providers (LLM, speech, Oracle) are in edge-provider-settings.ts.
 */
import { providerSettings } from "./edge-provider-settings.ts";
import {
  flag,
  httpUrl,
  integer,
  oneOf,
  positive,
  type SettingPlace,
  type SettingsOf,
  text,
} from "./setting.ts";

const secretPlaces: readonly SettingPlace[] = ["worker-secret", "fly-secret", "local"];
const varPlaces: readonly SettingPlace[] = ["wrangler-var", "fly-env", "local"];

/** The settings every controller reads (the Worker's whole list). */
export const edgeSettings = {
  VOXOPS_API_TOKENS: text({
    description: "API tokens with their roles: `token:viewer|operator|admin[:noconfirm]`, comma-separated",
    features: ["core"],
    where: secretPlaces,
    secret: true,
  }),
  VOXOPS_SIDECAR_KEYS: text({
    description: "one key per VM for the sidecars: `vm1=key,vm2=key`",
    features: ["core"],
    where: secretPlaces,
    secret: true,
  }),
  VOXOPS_INVENTORY: text({
    description: "the inventory JSON (VMs, aliases, services); without it, the VMs of VOXOPS_SIDECAR_KEYS",
    features: ["core"],
    where: ["worker-secret", "fly-secret"],
  }),
  TELEGRAM_BOT_TOKEN: text(
    {
      description: "the bot's token from @BotFather; without it the bot is off",
      features: ["telegram"],
      where: secretPlaces,
      secret: true,
    },
    {
      pattern: /^\d+:[A-Za-z0-9_-]{10,}$/,
      expected:
        "a bot token as @BotFather gives it, like 123456789:AAE… (digits, a colon, then letters, digits, _ and -)",
    },
  ),
  TELEGRAM_WEBHOOK_SECRET: text(
    {
      description: "the secret Telegram sends with each webhook call (the Worker and the mirror need it)",
      features: ["telegram"],
      where: ["worker-secret", "fly-secret"],
      secret: true,
    },
    { pattern: /^[A-Za-z0-9_-]{16,256}$/, expected: "16 to 256 characters of A-Z, a-z, 0-9, _ and -" },
  ),
  TELEGRAM_USERS: text(
    {
      description: "who may use the bot: `telegram-user-id:viewer|operator|admin`, comma-separated",
      features: ["telegram"],
      where: secretPlaces,
    },
    {
      pattern: /^\s*\d+\s*:\s*[a-z]+\s*(,\s*\d+\s*:\s*[a-z]+\s*)*,?$/,
      expected: "user-id:role pairs such as 123456789:admin,987654321:viewer",
    },
  ),
  TELEGRAM_ADMINS: text(
    {
      description: "a quick allowlist: Telegram user ids that are admins, comma-separated",
      features: ["telegram"],
      where: secretPlaces,
    },
    { pattern: /^\s*\d+\s*(,\s*\d+\s*)*,?$/, expected: "Telegram user ids separated by commas" },
  ),
  TELEGRAM_API_ROOT: httpUrl({
    description: "another Bot API server (a self-hosted one, or a stand-in in tests)",
    features: ["telegram"],
    where: varPlaces,
    defaultText: "https://api.telegram.org",
  }),
  TELEGRAM_BOT_INFO: text({
    description: "the JSON of the bot's `getMe`, so that no request waits for that call",
    features: ["telegram"],
    where: ["wrangler-var", "fly-env"],
  }),
  VOXOPS_LEASE_ROLE: oneOf(
    {
      description:
        "the fencing lease: `primary` on the edge, `secondary` on the mirror; unset = a lone controller",
      features: ["lease"],
      where: ["wrangler-var", "fly-env"],
    },
    ["primary", "secondary"],
    undefined,
  ),
  VOXOPS_PUBLIC_URL: httpUrl({
    description: "this controller's own URL, where it points the Telegram webhook when it wins the lease",
    features: ["lease"],
    where: ["wrangler-var", "fly-env"],
  }),
  VOXOPS_HEARTBEAT_S: positive(
    {
      description: "how often sidecars send heartbeats, in seconds (the watchdog's suspicion follows it)",
      features: ["watchdog"],
      where: ["wrangler-var", "fly-env", "sidecar-unit", "local"],
      defaultText: "10",
    },
    { unit: "seconds", fallback: undefined },
  ),
  VOXOPS_PEER_PROBE_S: positive(
    {
      description: "how often sidecars probe their peer, in seconds",
      features: ["watchdog"],
      where: ["wrangler-var", "fly-env", "sidecar-unit"],
      defaultText: "60",
    },
    { unit: "seconds", fallback: undefined },
  ),
  VOXOPS_PEER_SUSPECT_MISSES: integer(
    {
      description: "missed peer probes before the peer counts as an observer of a failure",
      features: ["watchdog"],
      where: varPlaces,
      defaultText: "3",
    },
    { min: 1, max: 100, fallback: undefined },
  ),
  VOXOPS_WATCHDOG_TIMINGS: text({
    description: "the watchdog's timings as a JSON object of milliseconds (tests and benchmarks)",
    features: ["watchdog"],
    where: ["local"],
  }),
  VOXOPS_CONFIRM_TTL_S: integer(
    {
      description: "how long a confirmation stays valid, in seconds",
      features: ["confirmations"],
      where: varPlaces,
      ifWrong: "confirmations stay valid 60 s",
    },
    { min: 10, max: 600, unit: "seconds", fallback: 60 },
  ),
  VOXOPS_REBOOT_WAIT_S: positive(
    {
      description: "how long a reboot of several VMs waits for each VM to go down and come back, in seconds",
      features: ["reboot"],
      where: varPlaces,
    },
    { unit: "seconds", fallback: undefined },
  ),
  VOXOPS_AUTOFIX_APPROVAL: oneOf(
    {
      description: "`auto`: the gate approves auto-fix repairs; `operator`: the admins are asked first",
      features: ["autofix-approval"],
      where: varPlaces,
      ifWrong: "the admins are asked before each repair",
    },
    ["auto", "operator"],
    "auto",
  ),
  VOXOPS_QUIET: flag({
    description: "`1` leaves info lines out of the log",
    features: [],
    where: ["fly-env", "sidecar-unit", "local"],
  }),
  ...providerSettings,
};

/** The controller's typed settings. */
export type EdgeSettings = SettingsOf<typeof edgeSettings>;
