/** Polls a condition until it holds or the time runs out (bounded, for end-to-end tests). */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: { timeoutMs?: number; everyMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, options.everyMs ?? 50));
  }
  throw new Error(
    `timed out waiting for ${options.what ?? "a condition"}${last ? ` (last error: ${String(last)})` : ""}`,
  );
}
