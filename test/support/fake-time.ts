import type { Clock, Sleep } from '#lib/clock';

/**
 * A clock that moves only when told: `sleep` advances it instead of waiting (and records the delay), so
 * backoff runs in no real time and every instant in a test is known.
 */
export class FakeTime {
  readonly sleeps: number[] = [];
  private nowMs: number;

  constructor(start: string | Date) {
    this.nowMs = new Date(start).getTime();
  }

  readonly clock: Clock = () => new Date(this.nowMs);

  readonly sleep: Sleep = async (ms) => {
    this.sleeps.push(ms);
    this.nowMs += ms;
  };

  now(): Date {
    return new Date(this.nowMs);
  }

  set(instant: string | Date): void {
    this.nowMs = new Date(instant).getTime();
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }
}
