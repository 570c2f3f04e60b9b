// The failure-reason table agrees with everything that names reasons or health states.
import { describe, expect, it } from 'vitest';
import { HEALTH_STATES } from '../../src/db/vocabulary.ts';
import { FAILURE_POLICY, failurePolicy, UNWARMABLE_HEALTH } from '../../src/warmup/failure-reasons.ts';
import { FAILURE_REASONS, RETRYABLE } from '../../src/warmup/outcome.ts';

describe('failure reasons', () => {
  it('every engine reason is in the table, with the table’s retry policy', () => {
    for (const reason of FAILURE_REASONS) expect(RETRYABLE[reason]).toBe(FAILURE_POLICY[reason].retryable);
  });

  it('health effects are account health states the schema allows', () => {
    for (const { health } of Object.values(FAILURE_POLICY)) {
      if (health) expect(HEALTH_STATES).toContain(health);
    }
    for (const h of UNWARMABLE_HEALTH) expect(HEALTH_STATES).toContain(h);
  });

  it('health problems are never retried', () => {
    for (const [code, p] of Object.entries(FAILURE_POLICY)) {
      if (p.health) expect(p.retryable, code).toBe(false);
    }
    expect(failurePolicy('proxy_error')).toEqual({ retryable: false, health: 'proxy_error' });
    expect(failurePolicy('something from an older deploy')).toEqual({ retryable: false, health: null });
  });
});
