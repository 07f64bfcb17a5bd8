/** The controller's settings for the services it calls: the LLM, speech to text and back, Oracle Cloud. */
import { httpUrl, integer, list, oneOf, type SettingPlace, text } from "./setting.ts";

const secretPlaces: readonly SettingPlace[] = ["worker-secret", "fly-secret", "local"];
const varPlaces: readonly SettingPlace[] = ["wrangler-var", "fly-env", "local"];
const llm = { features: ["llm"], where: varPlaces } as const;
const speech = { features: ["speech"], where: varPlaces } as const;
const oracle = { features: ["oracle"], where: secretPlaces } as const;
const ms = (fallback: number, min = 100) => ({ min, max: 300_000, unit: "milliseconds", fallback }) as const;

/** LLM, speech and Oracle Cloud settings. */
export const providerSettings = {
  LLM_PROVIDER: oneOf(
    { ...llm, description: "the LLM for what the rules cannot place and for code changes; `none` = off" },
    ["none", "anthropic", "openai", "groq", "workers-ai"],
    "none",
  ),
  LLM_API_KEY: text({ ...llm, where: secretPlaces, secret: true, description: "the LLM provider's API key" }),
  LLM_BASE_URL: httpUrl({
    ...llm,
    description: "an OpenAI-compatible endpoint instead of the provider's own",
  }),
  LLM_MODEL: text({ ...llm, description: "the model; each provider has a default" }),
  LLM_TIMEOUT_MS: integer({ ...llm, description: "how long one LLM call may take" }, ms(30_000, 1000)),
  LLM_MAX_ROUNDS: integer(
    { ...llm, description: "tool rounds the LLM gets for one request" },
    { min: 1, max: 10, fallback: 4 },
  ),
  STT_PROVIDER: oneOf(
    { ...speech, description: "speech to text for voice messages; `workers-ai` needs the `[ai]` binding" },
    ["none", "workers-ai", "groq", "openai"],
    "none",
  ),
  STT_BASE_URL: httpUrl({ ...speech, description: "an OpenAI-compatible transcription endpoint" }),
  STT_API_KEY: text({
    ...speech,
    where: secretPlaces,
    secret: true,
    description: "the transcription API key",
  }),
  GROQ_API_KEY: text({
    ...speech,
    where: secretPlaces,
    secret: true,
    description: "Groq's key, used for `STT_PROVIDER=groq` when STT_API_KEY is not set",
  }),
  STT_MODEL: text({ ...speech, description: "the transcription model; each provider has a default" }),
  STT_TIMEOUT_MS: integer({ ...speech, description: "how long one transcription may take" }, ms(30_000)),
  TTS_PROVIDER: oneOf(
    { ...speech, description: "text to speech for spoken replies (`/voice`)" },
    ["none", "workers-ai", "openai"],
    "none",
  ),
  TTS_BASE_URL: httpUrl({ ...speech, description: "an OpenAI-compatible speech endpoint" }),
  TTS_API_KEY: text({ ...speech, where: secretPlaces, secret: true, description: "the speech API key" }),
  TTS_MODEL: text({ ...speech, description: "the speech model; each provider has a default" }),
  TTS_VOICE: text({ ...speech, description: "the voice for both languages" }),
  TTS_VOICE_RU: text({ ...speech, description: "the voice for Russian replies (over TTS_VOICE)" }),
  TTS_VOICE_EN: text({ ...speech, description: "the voice for English replies (over TTS_VOICE)" }),
  TTS_LANGS: list(
    { ...speech, description: "the languages Workers AI speaks, comma-separated" },
    "language codes separated by commas",
  ),
  TTS_TIMEOUT_MS: integer(
    { ...speech, description: "how long one spoken reply may take to make" },
    ms(30_000),
  ),
  OCI_TENANCY: text(
    { ...oracle, description: "the Oracle Cloud tenancy whose instances the watchdog may reset" },
    { pattern: /^ocid1\.tenancy\.[a-z0-9._-]+$/, expected: "a tenancy OCID (ocid1.tenancy.…)" },
  ),
  OCI_USER: text(
    { ...oracle, description: "the Oracle Cloud user of the API signing key" },
    { pattern: /^ocid1\.user\.[a-z0-9._-]+$/, expected: "a user OCID (ocid1.user.…)" },
  ),
  OCI_FINGERPRINT: text(
    { ...oracle, description: "the API signing key's fingerprint" },
    {
      pattern: /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/,
      expected: "the key fingerprint, 16 hex pairs joined by ':'",
    },
  ),
  OCI_PRIVATE_KEY: text(
    { ...oracle, secret: true, description: "the API signing key (PEM)" },
    { pattern: /PRIVATE KEY-----/, expected: "a PEM private key (-----BEGIN PRIVATE KEY-----)" },
  ),
  OCI_REGION: text(
    { ...oracle, description: "the default region; a VM's inventory `oci.region` overrides it" },
    { pattern: /^[a-z0-9-]+$/, expected: "a region id such as eu-frankfurt-1" },
  ),
  OCI_ENDPOINT: httpUrl({
    ...oracle,
    where: ["local"],
    description:
      "replaces `https://iaas.{region}.oraclecloud.com` (https, or http on 127.0.0.1 for a stand-in)",
  }),
};
