/** The controller's core configuration (tokens, keys, inventory), from the host's parsed settings. */
import { type Inventory, parseInventory } from "../../protocol/inventory.ts";
import { secretSettingNames } from "../../protocol/settings/known-settings.ts";
import type { Role } from "./actors.ts";
import { parseApiTokens, parseSidecarKeys, parseSkipConfirmTokens } from "./credentials.ts";

/** Settings every host needs. */
export interface ControllerConfig {
  readonly apiTokens: Map<string, Role>;
  /** Tokens allowed to run confirmable actions without a second call. */
  readonly skipConfirm: Set<string>;
  readonly sidecarKeys: Map<string, string>;
  readonly inventory: Inventory | undefined;
  /** Every secret value, so the audit and logs can scrub them. */
  readonly secrets: string[];
}

/** A configuration mistake, with the setting's name and what to do, also in Russian for the Russian admins. */
export class ConfigError extends Error {
  readonly ru: string;
  constructor(message: string, ru?: string) {
    super(message);
    this.name = "ConfigError";
    this.ru = ru ?? `Ошибка настройки: «${message}».`;
  }
}

/** "NAME: detail" from the credential parsers, in Russian with the detail quoted. */
function credentialRu(message: string): string {
  const m = /^([A-Z_]+): (.*)$/s.exec(message);
  return m ? `Значение ${m[1]} неверно: «${m[2]}».` : `Ошибка в ключах или токенах: «${message}».`;
}

/**
 * Reads the configuration from the host's settings (the typed object, or, in tests, plain strings);
 * `inventoryText` is the inventory JSON when there is one.
 */
export function readConfig(env: Record<string, unknown>, inventoryText?: string): ControllerConfig {
  const str = (name: string): string | undefined =>
    typeof env[name] === "string" ? (env[name] as string) : undefined;
  let apiTokens: Map<string, Role>;
  let sidecarKeys: Map<string, string>;
  try {
    apiTokens = parseApiTokens(str("VOXOPS_API_TOKENS"));
    sidecarKeys = parseSidecarKeys(str("VOXOPS_SIDECAR_KEYS"));
  } catch (error) {
    throw new ConfigError((error as Error).message, credentialRu((error as Error).message));
  }
  let inventory: Inventory | undefined;
  const text = inventoryText ?? str("VOXOPS_INVENTORY");
  if (text !== undefined && text.trim() !== "") {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ConfigError(
        "the inventory is not valid JSON",
        "Инвентарь — не правильный JSON: проверьте скобки, кавычки и запятые.",
      );
    }
    const parsed = parseInventory(raw);
    if (!parsed.ok)
      throw new ConfigError(
        `the inventory is invalid:\n  ${parsed.errors.join("\n  ")}`,
        `Инвентарь неверен, его ошибки:\n  ${parsed.errors.map((e) => `«${e}»`).join("\n  ")}`,
      );
    inventory = parsed.inventory;
  }
  const secretNames = [
    ...new Set([
      ...secretSettingNames,
      ...Object.keys(env).filter((k) => /TOKEN|KEY|SECRET|PASSWORD/.test(k)),
    ]),
  ];
  const secrets = [
    ...apiTokens.keys(),
    ...sidecarKeys.values(),
    ...secretNames
      .map((k) => str(k))
      .filter((v): v is string => v !== undefined && v.length >= 8 && !v.includes(",")),
  ];
  return {
    apiTokens,
    skipConfirm: parseSkipConfirmTokens(str("VOXOPS_API_TOKENS")),
    sidecarKeys,
    inventory,
    secrets,
  };
}
