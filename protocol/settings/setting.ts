/**
 * One environment setting as a deployable declares it: its name, the form its value takes (a zod
 * schema over the trimmed text), its default, the features that need it, whether it is a secret, a
 * one-line description and where an operator sets it. The README's tables, `.dev.vars.example` and
 * the start-up parse are all read from these declarations.
 */
import * as z from "zod";

/** Where an operator sets a value. */
export type SettingPlace =
  | "worker-secret"
  | "wrangler-var"
  | "fly-secret"
  | "fly-env"
  | "sidecar-env-file"
  | "sidecar-unit"
  | "local";

/** The words each place is written as in the README. */
export const placeWords: Readonly<Record<SettingPlace, string>> = {
  "worker-secret": "Worker secret",
  "wrangler-var": "`wrangler.toml` var",
  "fly-secret": "Fly secret",
  "fly-env": "`fly.toml` env",
  "sidecar-env-file": "`/etc/voxops/sidecar.env`",
  "sidecar-unit": "sidecar unit `Environment=`",
  local: "local run's shell",
};

/** What a declaration says besides its form. */
export interface SettingInfo {
  /** One line, in English, for the README. */
  readonly description: string;
  /** The features that stop working when this setting is wrong (see `featureWords`). */
  readonly features: readonly string[];
  readonly where: readonly SettingPlace[];
  /** A secret is never shown in a problem, a log line or the environment of a child process. */
  readonly secret?: boolean;
  /** What happens when the value is wrong, when it is not "the features are off" ("confirmations stay valid 60 s"). */
  readonly ifWrong?: string;
  /** The default as the README shows it, when the parse leaves it to the feature ("10"). */
  readonly defaultText?: string;
}

/** A declared setting whose parsed value has type `T` (`undefined` when unset and without a default). */
export interface Setting<T> extends SettingInfo {
  readonly secret: boolean;
  /** The expected form, as the end of "NAME must be …". */
  readonly expected: string;
  /** Parses the trimmed, non-empty text. */
  readonly schema: z.ZodType<T>;
  /** The value when unset (or wrong); `undefined` when there is none. */
  readonly fallback: T;
  /** The default as the README shows it ("60"), or "" when there is none. */
  readonly defaultText: string;
}

/** Declarations by variable name. */
export type Declarations = Readonly<Record<string, Setting<unknown>>>;

/** The typed settings object a set of declarations parses into. */
export type SettingsOf<D extends Declarations> = {
  readonly [K in keyof D]: D[K] extends Setting<infer T> ? T : never;
};

function declare<T>(
  info: SettingInfo,
  expected: string,
  schema: z.ZodType<T>,
  fallback: T,
  defaultText = "",
): Setting<T> {
  return {
    ...info,
    secret: info.secret ?? false,
    expected,
    schema,
    fallback,
    defaultText: info.defaultText ?? defaultText,
  };
}

/** Free text (optionally of a pattern); `undefined` when unset. */
export function text(
  info: SettingInfo,
  form: { pattern?: RegExp; expected?: string } = {},
): Setting<string | undefined> {
  const schema = form.pattern ? z.string().regex(form.pattern) : z.string();
  return declare<string | undefined>(info, form.expected ?? "text", schema, undefined);
}

/** Free text with a default. */
export function textOr(info: SettingInfo, fallback: string, expected = "text"): Setting<string> {
  return declare(info, expected, z.string(), fallback, fallback);
}

/** A whole number from `min` to `max` (in `unit`), with or without a default. */
export function integer<F extends number | undefined>(
  info: SettingInfo,
  form: { min: number; max: number; unit?: string; fallback: F },
): Setting<number | F> {
  const unit = form.unit ? ` of ${form.unit}` : "";
  return declare<number | F>(
    info,
    `a whole number${unit} from ${form.min} to ${form.max}`,
    z.coerce.number().int().min(form.min).max(form.max),
    form.fallback,
    form.fallback === undefined ? "" : String(form.fallback),
  );
}

/** A positive number (fractions allowed; 0 too with `zero`), with or without a default. */
export function positive<F extends number | undefined>(
  info: SettingInfo,
  form: { unit: string; fallback: F; zero?: boolean },
): Setting<number | F> {
  return declare<number | F>(
    info,
    form.zero ? `a number of ${form.unit}, 0 or more` : `a positive number of ${form.unit}`,
    form.zero ? z.coerce.number().min(0).finite() : z.coerce.number().positive().finite(),
    form.fallback,
    form.fallback === undefined ? "" : String(form.fallback),
  );
}

/** One of a few words (matched without regard to case). */
export function oneOf<const V extends readonly [string, ...string[]], F extends V[number] | undefined>(
  info: SettingInfo,
  values: V,
  fallback: F,
): Setting<V[number] | F> {
  const words =
    values.length === 2 ? values.join(" or ") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
  return declare<V[number] | F>(
    info,
    `one of ${words}`,
    z.string().toLowerCase().pipe(z.enum(values)) as unknown as z.ZodType<V[number]>,
    fallback,
    fallback ?? "",
  );
}

/** An http(s) URL, without a trailing slash. */
export function httpUrl(info: SettingInfo): Setting<string | undefined> {
  return declare<string | undefined>(
    info,
    "an http(s) URL",
    z
      .string()
      .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol))
      .transform((s) => s.replace(/\/+$/, "")),
    undefined,
  );
}

/** A switch: 1/true/on/yes or 0/false/off/no. */
export function flag(info: SettingInfo): Setting<boolean> {
  return declare(
    info,
    "1 or 0 (or true/false, on/off)",
    z
      .string()
      .toLowerCase()
      .pipe(z.enum(["1", "0", "true", "false", "on", "off", "yes", "no"]))
      .transform((s) => ["1", "true", "on", "yes"].includes(s)),
    false,
    "0",
  );
}

/** A comma-separated list of words. */
export function list(info: SettingInfo, expected: string): Setting<readonly string[]> {
  return declare<readonly string[]>(
    info,
    expected,
    z.string().transform((s) =>
      s
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    ),
    [],
  );
}
