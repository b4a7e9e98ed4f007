/** A bounded piece of fan-out work: does some, returns true while more is left. */
export type SliceTask = () => boolean;

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
  /** Slices run so far (tests see the work was split). */
  slices = 0;

  constructor(
    private readonly sliceMs = 5,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  get pending(): number {
    return this.tasks.length;
  }

  enqueue(task: SliceTask): void {
    this.tasks.push(task);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.runSlice());
  }

  private runSlice(): void {
    this.scheduled = false;
    this.slices++;
    const deadline = this.now() + this.sliceMs;
    while (this.tasks.length > 0) {
      let more = false;
      try {
        more = this.tasks[0]!();
      } catch (err) {
        this.onError(err);
      }
      if (!more) this.tasks.shift();
      if (this.now() >= deadline) break;
    }
    if (this.tasks.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.runSlice());
    }
  }
}
