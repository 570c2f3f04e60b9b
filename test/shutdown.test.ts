// The shutdown's order and its one grace budget, with a driven clock: what one closer spends of
// the grace period is not there for the next (ROLE=all: the bot's updates, then the sessions).
import { describe, expect, it } from 'vitest';
import { createShutdown } from '../src/shutdown.ts';
import { testLog } from './support/jobs.ts';

describe('createShutdown', () => {
  it('runs closers once, newest first, and a failing one does not stop the rest', async () => {
    const shutdown = createShutdown(testLog, 1000);
    const order: string[] = [];
    shutdown.add('database', async () => void order.push('database'));
    shutdown.add('workers', async () => {
      order.push('workers');
      throw new Error('boom');
    });
    shutdown.add('bot', async () => void order.push('bot'));
    await Promise.all([shutdown.run(), shutdown.run()]);
    await shutdown.run();
    expect(order).toEqual(['bot', 'workers', 'database']);
  });

  it('shares one grace period between the closers, counted from the signal', async () => {
    let clock = 10_000;
    const shutdown = createShutdown(testLog, 30_000, () => clock);
    const given: Record<string, number> = {};
    shutdown.add('workers', async () => {
      given.workers = shutdown.graceLeft();
    });
    shutdown.add('bot', async () => {
      given.bot = shutdown.graceLeft();
      clock += 12_000; // the bot's in-flight updates took 12 s to finish
    });
    expect(shutdown.graceLeft()).toBe(30_000);
    clock += 5_000; // the signal comes later; the budget starts then
    await shutdown.run();
    expect(given).toEqual({ bot: 30_000, workers: 18_000 });
    clock += 60_000;
    expect(shutdown.graceLeft()).toBe(0);
  });
});
