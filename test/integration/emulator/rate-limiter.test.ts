import { describe, expect, it } from 'vitest';
import { RateLimiter } from '#local/emulator/faults/rate-limiter';

describe('the emulator rate limiter', () => {
  it('admits R requests in any rolling second and admits more as the oldest leave the window', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    limiter.setLimit(3);

    const burst = [limiter.tryAdmit(), limiter.tryAdmit(), limiter.tryAdmit(), limiter.tryAdmit()];
    now = 999;
    const beforeWindowEnds = limiter.tryAdmit();
    now = 1000;
    const afterWindowEnds = [limiter.tryAdmit(), limiter.tryAdmit(), limiter.tryAdmit(), limiter.tryAdmit()];

    expect(burst).toEqual([true, true, true, false]);
    expect(beforeWindowEnds).toBe(false);
    expect(afterWindowEnds).toEqual([true, true, true, false]);
  });

  it('admits everything once the limit is lifted', () => {
    const limiter = new RateLimiter(() => 0);
    limiter.setLimit(1);
    limiter.tryAdmit();

    limiter.setLimit(undefined);

    expect(Array.from({ length: 100 }, () => limiter.tryAdmit()).every(Boolean)).toBe(true);
  });
});
