import { describe, expect, it } from 'vitest';
import { AnswerSliceQueue } from '../../src/server/answer-slice-queue.js';

/** A clock the slices advance: each slice "works" for the milliseconds it is told. */
function fakeClock() {
  let now = 0;
  return { now: () => now, spend: (ms: number) => (now += ms) };
}

describe('AnswerSliceQueue', () => {
  it('shares one budget per turn among every answer, and yields when it is spent', async () => {
    const clock = fakeClock();
    const queue = new AnswerSliceQueue(8, clock.now);
    // The turn a slice ran in: how many times the queue had yielded to the event loop by then.
    const turns: number[] = [];
    const slice = (answer: string) => async () => {
      turns.push(queue.yields);
      clock.spend(3);
      return answer;
    };
    // Ten answers, each asking for three slices of 3 ms: 90 ms of work, at most 8 (+ one slice) per turn.
    const answers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const got: string[] = [];
        for (let n = 0; n < 3; n++) got.push(await queue.run(slice(`a${i}`)));
        return got;
      }),
    );
    expect(answers.flat()).toHaveLength(30);
    expect(queue.yields).toBeGreaterThanOrEqual(9);
    const perTurn = new Map<number, number>();
    for (const t of turns) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    // 3 slices of 3 ms cross 8 ms: never more than 3 slices in one turn.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(3);
    expect(queue.pending).toBe(0);
  });

  it('runs slices in arrival order, so answers take turns', async () => {
    const queue = new AnswerSliceQueue(1_000);
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        for (let n = 0; n < 2; n++) await queue.run(async () => order.push(`${name}${n}`));
      }),
    );
    expect(order).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1']);
  });

  it('hands a slice the budget left in its turn', async () => {
    const clock = fakeClock();
    const queue = new AnswerSliceQueue(8, clock.now);
    const budgets = await Promise.all(
      [5, 5].map((ms) =>
        queue.run(async (budget) => {
          clock.spend(ms);
          return budget;
        }),
      ),
    );
    expect(budgets).toEqual([8, 3]);
  });

  it('a slice waiting for I/O does not hold up the slices behind it', async () => {
    const queue = new AnswerSliceQueue();
    let release: () => void = () => {};
    const io = new Promise<void>((resolve) => {
      release = resolve;
    });
    const waiting = queue.run(async () => {
      await io;
      return 'after I/O';
    });
    await expect(queue.run(async () => 'behind it')).resolves.toBe('behind it');
    release();
    await expect(waiting).resolves.toBe('after I/O');
  });

  it('a failing slice rejects its own run only; the queue goes on', async () => {
    const queue = new AnswerSliceQueue();
    const failed = queue.run(async () => {
      throw new Error('slice broke');
    });
    const next = queue.run(async () => 'next');
    await expect(failed).rejects.toThrow('slice broke');
    await expect(next).resolves.toBe('next');
  });
});
