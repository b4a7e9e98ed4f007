/**
 * A bounded piece of fan-out work: does some, returns true while more is left. A task whose
 * work continues in promise continuations (waking streams that then write) returns a promise:
 * the slice awaits it, so that work counts against the slice's budget, not after it.
 */
export type SliceTask = () => boolean | Promise<boolean>;

/**
 * Runs every group's fan-out work in one queue of short slices: at most `sliceMs` of work per
 * macrotask, then setImmediate, so HTTP queries, /metrics and WebSocket pings get the event
 * loop between slices however many subscribers an event has. One queue for all groups (not a
 * yield per group): a thousand groups each yielding after its own slice would still run all
 * their slices back to back in one check phase.
 */
export class SliceScheduler {
  private readonly tasks: SliceTask[] = [];
  private scheduled = false;
  /** A slice is under way (it may be awaiting promise ticks): it takes new tasks itself. */
  private running = false;
  /** Slices run so far (tests see the work was split). */
  slices = 0;

  constructor(
    /** 8, not 10: a slice ends after the task that crosses it (a chunk of writes, < 1 ms). */
    private readonly sliceMs = 8,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  get pending(): number {
    return this.tasks.length;
  }

  enqueue(task: SliceTask): void {
    this.tasks.push(task);
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => void this.runSlice());
  }

  private async runSlice(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    this.slices++;
    const deadline = this.now() + this.sliceMs;
    for (;;) {
      while (this.tasks.length > 0 && this.now() < deadline) {
        let more = false;
        try {
          const result = this.tasks[0]!();
          more = typeof result === 'boolean' ? result : await result;
        } catch (err) {
          this.onError(err);
        }
        if (!more) this.tasks.shift();
      }
      if (this.tasks.length > 0 || this.now() >= deadline) break;
      // A group takes its next event in promise continuations (its source is an async
      // iterator); let them run inside this slice, while it has time, rather than one event
      // per turn of the event loop.
      for (let tick = 0; tick < MICROTASK_TICKS && this.tasks.length === 0; tick++) await undefined;
      if (this.tasks.length === 0) break;
    }
    this.running = false;
    if (this.tasks.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.runSlice());
    }
  }
}

/** Promise ticks a group needs from delivering one event to asking for its next one. */
export const MICROTASK_TICKS = 32;

/** Resolves with `value` after `ticks` promise ticks: the continuations queued before it run first. */
export async function afterTicks<T>(value: T, ticks = MICROTASK_TICKS): Promise<T> {
  for (let tick = 0; tick < ticks; tick++) await undefined;
  return value;
}
