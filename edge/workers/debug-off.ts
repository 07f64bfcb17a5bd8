/** `debug` for the Worker: @grammyjs/auto-retry's debug lines are never enabled there (no DEBUG variable), so each logger is a no-op. */
const off = Object.assign(() => undefined, { enabled: false, extend: () => off });
/** Creates a logger that writes nothing. */
export function debug(_namespace: string): typeof off {
  return off;
}
export default debug;
