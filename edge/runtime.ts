/**
 * The composition root both hosts share: from configuration strings and a few host ports it builds
 * the controller, the desk, the policy gate, the LLM, the Telegram bot and the app, and attaches the
 * host's list of feature plugins (watchdog, lease, auto-fix approval, code desk, alerts; see
 * edge/plugins.ts). Runtime-free: the Durable Object and the Node host give it storage, time and a log.
 */

import type { Hono } from "hono";
import { type Inventory, parseInventory } from "../protocol/inventory.ts";
import type { EdgeSettings } from "../protocol/settings/edge-settings.ts";
import type { ParsedSettings } from "../protocol/settings/parse-settings.ts";
import { type ConfigProblemLists, configProblemsAlert } from "./alerts/config-problems-alert.ts";
import { mountOperations } from "./api-routes.ts";
import { type AppEnv, createApp, currentRequestId, VOXOPS_VERSION } from "./app.ts";
import { clientAddress } from "./client-address.ts";
import { createAudit } from "./core/audit.ts";
import { autoApprovalFor, parseApprovalMode } from "./core/autofix-approval.ts";
import type { Clock } from "./core/clock.ts";
import { type ControllerConfig, readConfig } from "./core/config.ts";
import { createConfirmations } from "./core/confirmations.ts";
import { type Controller, createController, type LogFn } from "./core/controller.ts";
import { createCreatedServices } from "./core/created-services.ts";
import type { Desk, Notifier } from "./core/desk.ts";
import { createOperatorDesk } from "./core/operator-desk.ts";
import { loggedNotifier, withOpsLog } from "./core/ops-log.ts";
import { createPluginSet } from "./core/plugin-set.ts";
import { createPolicyGate } from "./core/policy.ts";
import type { RuntimePlugin } from "./core/runtime-plugin.ts";
import type { SqlStore } from "./core/store.ts";
import { migrate } from "./core/store.ts";
import { createLlmAgent } from "./llm/agent.ts";
import { createChatProvider } from "./llm/create-llm.ts";
import { readLlmConfig } from "./llm/llm-config.ts";
import type { WorkersAiBinding } from "./llm/workers-ai.ts";
import { mountMcp } from "./mcp/mcp-route.ts";
import { createSpeechFromConfig } from "./speech/speech-config.ts";
import { adminChatIds, createBot, createTelegramNotifier, parseTelegramConfig } from "./telegram/index.ts";
import { createRebootTeller } from "./telegram/reboot-teller.ts";
import { createSqlBotState } from "./telegram/sql-bot-state.ts";
import { createStopSignalTransformer } from "./telegram/stop-signal.ts";
import { createTelegramWebhook } from "./telegram/webhook.ts";
import { createUnderstander } from "./understand/understand.ts";

/** What a host gives the runtime. */
export interface RuntimePorts {
  readonly store: SqlStore;
  readonly clock: Clock;
  readonly log: LogFn;
  /** The host's settings, parsed once at its start (protocol/settings/): typed values and what was wrong. */
  readonly settings: ParsedSettings<EdgeSettings>;
  /** The inventory JSON when it does not come from VOXOPS_INVENTORY. */
  readonly inventoryText?: string;
  /** Already-parsed configuration (the local run adds generated secrets to the environment's). */
  readonly config?: ControllerConfig;
  /** The Workers AI binding, on the edge. */
  readonly ai?: WorkersAiBinding;
  readonly defaultTimeoutMs?: number;
  /** How long a command waits for an expected sidecar to connect (see ControllerOptions). */
  readonly connectWaitMs?: number;
  /** The features this host runs, in order: hooks go to each, an event stops at the first that takes it. */
  readonly plugins: readonly RuntimePlugin[];
  /** When this controller started without the sidecar sockets it had before: a process start, a Durable Object that lost its sockets. */
  readonly controllerStartedAt?: number;
}

/** Everything a host serves and drives. */
export interface Runtime {
  readonly config: ControllerConfig;
  readonly inventory: Inventory;
  readonly controller: Controller;
  readonly desk: Desk;
  readonly notifier: Notifier;
  readonly app: Hono<AppEnv>;
  /** The Telegram bot when TELEGRAM_BOT_TOKEN is set. */
  readonly bot: ReturnType<typeof createBot> | undefined;
  readonly telegram: ReturnType<typeof parseTelegramConfig>;
  /** Configuration mistakes found at start, as sentences; what depends on them is off, the rest runs. */
  readonly problems: readonly string[];
  /** Periodic work (expiring commands, the watchdog); call it from the alarm or a timer. */
  onWake(): Promise<void>;
  /** When `onWake` should run next (epoch ms). */
  nextWakeAt(): Promise<number>;
  stop(): void;
}

const WAKE_EVERY_MS = 5_000;
/** How long a reboot's first answer waits for the sidecar to accept or refuse it. */
const REBOOT_ANSWER_WAIT_MS = 20_000;

/** Builds the runtime; throws ConfigError on a configuration mistake. */
export function createRuntime(ports: RuntimePorts): Runtime {
  const { store, clock } = ports;
  const settings = ports.settings.values;
  // Every line written while serving a request carries its id (X-Request-Id).
  const log: LogFn = (level, message, fields) => {
    const requestId = currentRequestId();
    ports.log(level, message, requestId === undefined ? fields : { requestId, ...fields });
  };
  migrate(store);
  const config = ports.config ?? readConfig(settings, ports.inventoryText);
  // The services voxops created (issue 13) join the inventory from the store: status, commands, words.
  const created = createCreatedServices(
    config.inventory ?? fallbackInventory([...config.sidecarKeys.keys()]),
    store,
  );
  const inventory = created.inventory;
  // Each audit record (action, verdict, fence, refusal) is also one operations log line.
  const audit = withOpsLog(
    createAudit({ store, now: () => clock.now(), secrets: () => config.secrets }),
    log,
  );
  // A setting that cannot be used turns off what depends on it and is reported; it never stops the rest.
  const problems: string[] = [...ports.settings.problems.map((p) => p.sentence), ...ports.settings.unknown];
  // The same problems in Russian, for the Russian admins' alert (the detail of a library's own error stays quoted).
  const problemsRu: string[] = [
    ...ports.settings.problems.map((p) => p.sentenceRu),
    ...ports.settings.unknownRu,
  ];
  const broken = (feature: string) => ports.settings.broken(feature);
  const settle = <T>(what: string, whatRu: string, build: () => T, fallback: T): T => {
    try {
      return build();
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error))
        .replace(/^[a-z ]+config: /, "")
        .replace(/\.$/, "");
      problems.push(`${what} is off: ${message}.`);
      problemsRu.push(`${whatRu} не работает: «${message}».`);
      return fallback;
    }
  };
  // The controller and the desk are built with the plugins' fan-out hooks and extensions; the plugins
  // attach below, once both exist and before the host serves anything.
  const plugins = createPluginSet(ports.plugins, (error, plugin) =>
    log("warn", "plugin error", { plugin, error: String(error).slice(0, 300) }),
  );
  const controller = createController({
    store,
    clock,
    audit,
    sidecarKeys: config.sidecarKeys,
    inventory,
    hooks: plugins.hooks,
    log,
    ...(ports.defaultTimeoutMs ? { defaultTimeoutMs: ports.defaultTimeoutMs } : {}),
    ...(ports.connectWaitMs ? { connectWaitMs: ports.connectWaitMs } : {}),
  });

  const telegram = broken("telegram")
    ? undefined
    : settle("The Telegram bot", "Telegram-бот", () => parseTelegramConfig(settings), undefined);
  const botState = createSqlBotState(store, () => clock.now());

  const llmHost = ports.ai ? { ai: ports.ai } : {};
  const llmConfig: ReturnType<typeof readLlmConfig> = broken("llm")
    ? { ok: false, configured: false }
    : readLlmConfig(settings);
  if (!llmConfig.ok && llmConfig.configured) {
    problems.push(`The LLM is off: ${llmConfig.errors.join("; ")}.`);
    problemsRu.push(`Языковая модель не работает: «${llmConfig.errors.join("; ")}».`);
  }
  const agent = llmConfig.ok
    ? settle(
        "The LLM",
        "Языковая модель",
        () => createLlmAgent({ provider: createChatProvider(llmConfig.config, llmHost), inventory }),
        undefined,
      )
    : undefined;
  // VOXOPS_AUTOFIX_APPROVAL=auto|operator: whether the gate pre-approves auto-fix repairs (the
  // auto-fix approval plugin asks the admins otherwise).
  const approval = parseApprovalMode(
    broken("autofix-approval") ? "operator" : settings.VOXOPS_AUTOFIX_APPROVAL,
  );
  const desk = createOperatorDesk({
    extensions: plugins.desk,
    controller,
    inventory,
    inventoryDeclared: config.inventory !== undefined,
    // A reboot of several VMs goes one at a time; how long to wait for each to go down and come back.
    ...(settings.VOXOPS_REBOOT_WAIT_S !== undefined
      ? { rebootWaitMs: settings.VOXOPS_REBOOT_WAIT_S * 1000 }
      : {}),
    rebootAnswerWaitMs: REBOOT_ANSWER_WAIT_MS,
    understander: created.understander(createUnderstander),
    gate: createPolicyGate({ clock, autoApproved: autoApprovalFor(approval.mode) }),
    confirmations: createConfirmations(store, () => clock.now()),
    now: () => clock.now(),
    confirmTtlMs: settings.VOXOPS_CONFIRM_TTL_S * 1000,
    llm: {
      ...(agent ? { agent } : {}),
      problems: !llmConfig.ok && llmConfig.configured ? llmConfig.errors : [],
    },
  });

  // Aborted by stop(): every Bot API call still waiting ends with the host.
  const stopping = new AbortController();
  const bot = telegram
    ? createBot({
        token: telegram.token,
        ...(telegram.apiRoot ? { apiRoot: telegram.apiRoot } : {}),
        ...(telegram.botInfo ? { botInfo: telegram.botInfo } : {}),
        desk,
        users: telegram.users,
        dedupe: botState.dedupe,
        preferences: botState.preferences,
        audit: {
          record: (e) =>
            audit.refusal({
              actor: { kind: "telegram", id: String(e.user_id) },
              action: "telegram",
              target: "-",
              outcome: "stranger refused",
              detail: `${e.update}${e.username ? ` from @${e.username}` : ""}`,
              source: `telegram user ${e.user_id}`,
              reason: "stranger",
            }),
        },
        ...(broken("speech")
          ? {}
          : settle(
              "Speech (voice messages and spoken replies)",
              "Речь (голосовые сообщения и ответы голосом)",
              () => createSpeechFromConfig(settings, ports.ai ? { ai: ports.ai as never } : {}),
              {},
            )),
        speechHints: () => [
          ...new Set(
            inventory.vms.flatMap((v) => [
              v.name,
              ...v.aliases,
              ...v.services.flatMap((s) => [s.name, ...s.aliases]),
            ]),
          ),
        ],
        clock,
        onError: (error) => log("warn", "telegram bot error", { error: String(error).slice(0, 300) }),
      })
    : undefined;
  bot?.api.config.use(createStopSignalTransformer(stopping.signal));
  // Without Telegram an alert is only its operations line (written by the logged notifier).
  const notifier: Notifier =
    bot && telegram
      ? createTelegramNotifier({
          api: bot.api,
          adminChatIds: adminChatIds(telegram.users),
          preferences: botState.preferences,
          onError: (error) => log("warn", "telegram alert failed", { error: String(error).slice(0, 300) }),
        })
      : { async notify() {} };
  const alerts = loggedNotifier(() => notifier, log);

  plugins.attach({
    controller,
    desk,
    audit,
    store,
    clock,
    inventory,
    alerts,
    log,
    settings,
    broken,
    created,
    ...(ports.controllerStartedAt === undefined ? {} : { controllerStartedAt: ports.controllerStartedAt }),
    // A human's reboot is followed to its end and told to the Telegram user who asked (issue 17).
    tellReboot: createRebootTeller({
      api: () => bot?.api,
      label: (vm) => {
        const role = inventory.vm(vm)?.role;
        return role && role !== vm ? `${vm} (${role})` : vm;
      },
      answerWaitMs: REBOOT_ANSWER_WAIT_MS,
    }),
    llm: llmConfig,
    llmHost,
    problem: (sentence, ru) => {
      problems.push(sentence);
      problemsRu.push(ru ?? `Настройка не используется: «${sentence}».`);
    },
    async setWebhook() {
      const url = settings.VOXOPS_PUBLIC_URL;
      if (bot && url && telegram?.webhookSecret)
        await bot.api.setWebhook(`${url.replace(/\/$/, "")}/telegram`, {
          secret_token: telegram.webhookSecret,
        });
    },
  });

  for (const problem of problems) log("error", "configuration problem", { problem });
  tellAdminsOnce(store, () => notifier, { en: problems, ru: problemsRu }, log);

  const app = createApp({
    problems,
    controller,
    apiTokens: config.apiTokens,
    skipConfirm: config.skipConfirm,
    log,
    extend: (a) => {
      mountOperations(a, { controller, desk, inventory });
      plugins.mount(a);
      mountMcp(a, {
        controller,
        desk,
        inventory,
        now: () => clock.now(),
        version: VOXOPS_VERSION,
        apiTokens: config.apiTokens,
        skipConfirm: config.skipConfirm,
      });
      if (bot && telegram?.webhookSecret) {
        const webhook = createTelegramWebhook(bot, {
          secretToken: telegram.webhookSecret,
          onError: (message) => log("warn", message),
        });
        a.post("/telegram", async (c) => {
          const response = await webhook(c);
          if (response.status === 401)
            audit.refusal({
              actor: { kind: "telegram", id: "webhook" },
              action: "telegram-webhook",
              target: "/telegram",
              outcome: "refused",
              detail: `no valid secret token from ${clientAddress(c)}`,
              source: clientAddress(c),
              reason: "no valid secret token",
            });
          return response;
        });
      }
    },
  });

  return {
    config,
    inventory,
    controller,
    desk,
    notifier: alerts,
    app,
    bot,
    telegram,
    problems,
    async onWake() {
      controller.tick();
      await plugins.tick();
    },
    async nextWakeAt() {
      const next = controller.tick();
      return Math.min(
        next ?? Number.POSITIVE_INFINITY,
        clock.now() + WAKE_EVERY_MS,
        await plugins.nextWakeAt(),
      );
    },
    stop() {
      stopping.abort();
      controller.stop();
    },
  };
}

/** Tells the admins about configuration problems once per distinct set (not at every start of the host). */
function tellAdminsOnce(
  store: SqlStore,
  notifier: () => Notifier,
  lists: ConfigProblemLists,
  log: LogFn,
): void {
  const problems = lists.en;
  const said = store.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'config-problems-told'")[0]
    ?.value;
  const now = JSON.stringify(problems);
  if (said === now) return;
  const told = (): void => {
    store.exec(
      "INSERT OR REPLACE INTO kv (key, value, expires) VALUES ('config-problems-told', ?, NULL)",
      now,
    );
  };
  if (problems.length === 0) {
    told();
    return;
  }
  // Marked as told only once the alert went out: a failed send is tried again at the next start.
  void notifier()
    .notify({ key: "config-problems", severity: "warning", text: configProblemsAlert(lists) })
    .then(told)
    .catch((error: unknown) => log("warn", "alert failed", { error: String(error).slice(0, 200) }));
}

function fallbackInventory(vms: readonly string[]): Inventory {
  const parsed = parseInventory({
    vms: Object.fromEntries((vms.length > 0 ? vms : ["local"]).map((vm) => [vm, {}])),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.inventory;
}
