/** setTimeout's longest delay (about 24.8 days); a longer one fires at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `fire` at `expiresAt` (ms since the epoch), or at once when it has passed. Tokens may
 * live longer than setTimeout can wait, so long waits are taken in steps. Returns a cancel.
 */
export function atExpiry(expiresAt: number, fire: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const remaining = expiresAt - now();
    if (remaining <= 0) {
      timer = undefined;
      fire();
      return;
    }
    timer = setTimeout(schedule, Math.min(remaining, MAX_DELAY_MS));
    timer.unref?.();
  };
  schedule();
  return () => clearTimeout(timer);
}
