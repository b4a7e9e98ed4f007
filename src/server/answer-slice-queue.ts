import { setImmediate as nextTurn } from 'node:timers/promises';

/** Work for one slice: given the milliseconds left in this turn, does some and resolves with it. */
export type AnswerSlice<T> = (budgetMs: number) => Promise<T>;

/**
 * One queue for the slices of every streamed answer, sharing one budget per turn of the event
 * loop. A yield per answer is not enough: ten 65,000-node answers each taking 5 ms after their
 * own setImmediate ran back to back in one check phase, so the loop stalled for 50 ms and more
 * (hundreds on a busy machine). Here the slices run in arrival order (so answers take turns)
 * until `sliceMs` is spent, then the queue yields to the loop (timers, I/O, pings) and goes on.
 */
export class AnswerSliceQueue {
  private readonly queue: (() => Promise<void>)[] = [];
  private deadline = 0;
  private running = false;
  /** Turns the queue yielded at (tests and metrics see the work was split). */
  yields = 0;

  constructor(
    /** Work per turn; a slice may end up to one batch (~1 ms) past it. */
    readonly sliceMs = 8,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Runs `slice` when its turn comes; resolves or rejects with what it does. */
  run<T>(slice: AnswerSlice<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => slice(Math.max(0, this.deadline - this.now())).then(resolve, reject));
      if (!this.running) {
        this.running = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      // Never inside the caller's own turn: it may be in the middle of its own work.
      await nextTurn();
      this.deadline = this.now() + this.sliceMs;
      for (;;) {
        // An answer asks for its next slice a few promise ticks after its last one: wait for
        // that inside this turn rather than yielding once per slice.
        for (let tick = 0; tick < MICROTASK_TICKS && this.queue.length === 0; tick++) await undefined;
        const next = this.queue.shift();
        if (!next) break;
        if (this.now() >= this.deadline) {
          this.yields++;
          await nextTurn();
          this.deadline = this.now() + this.sliceMs;
        }
        // The pulls that follow a slice (the socket takes the chunk, asks for the next one)
        // happen in its promise continuations: inside this turn, against this budget. A slice
        // still unfinished after that is waiting for I/O (a field's DataLoader LIST): the others
        // go on meanwhile rather than wait seconds behind it; it finishes in its own time.
        await Promise.race([next(), afterTicks(IO_WAIT_TICKS)]);
      }
    } finally {
      this.running = false;
    }
  }
}

/** Promise ticks from a slice's end to its answer's next pull (enqueue, pull, run). */
const MICROTASK_TICKS = 16;

/** Promise ticks a slice of pure CPU work needs at most: past them, it waits for I/O. */
const IO_WAIT_TICKS = 256;

async function afterTicks(ticks: number): Promise<void> {
  for (let tick = 0; tick < ticks; tick++) await undefined;
}
