/** Health checks: GET a service's health URL with a timeout, once or until it answers. */

/** What one check found. */
export interface HealthResult {
  readonly ok: boolean;
  readonly status: number | null;
  readonly ms: number;
  readonly error?: string;
}

/** How to check. */
export interface HealthOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

/** GETs `url` once; ok means a 2xx answer within the timeout. */
export async function checkHealth(url: string, options: HealthOptions = {}): Promise<HealthResult> {
  const started = performance.now();
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 3000)];
  if (options.signal) signals.push(options.signal);
  try {
    const res = await (options.fetch ?? fetch)(url, { signal: AbortSignal.any(signals), redirect: "manual" });
    await res.body?.cancel();
    const ms = Math.round(performance.now() - started);
    return res.ok
      ? { ok: true, status: res.status, ms }
      : { ok: false, status: res.status, ms, error: `HTTP ${res.status}` };
  } catch (e) {
    const ms = Math.round(performance.now() - started);
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    const name = (e as Error).name;
    const error = name === "TimeoutError" ? "no answer in time" : (cause ?? (e as Error).message);
    return { ok: false, status: null, ms, error };
  }
}

/** Checks `url` every `intervalMs` until it answers ok or `withinMs` has passed; returns the last result. */
export async function waitHealthy(
  url: string,
  options: HealthOptions & { withinMs: number; intervalMs?: number },
): Promise<HealthResult> {
  const until = Date.now() + options.withinMs;
  for (;;) {
    const left = until - Date.now();
    const r = await checkHealth(url, {
      ...options,
      timeoutMs: Math.max(200, Math.min(options.timeoutMs ?? 3000, left)),
    });
    if (r.ok || Date.now() + (options.intervalMs ?? 250) >= until || options.signal?.aborted) return r;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
