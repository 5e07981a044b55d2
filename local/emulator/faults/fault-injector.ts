/**
 * Faults injected in place of normal answers: scripted ones per action (consumed one per call, in order)
 * and random ones at a rate, drawn from a seeded PRNG so a run can be repeated exactly.
 */
import { createRandom, type Random, randomInt } from '#local/emulator/prng';
import type { FaultKind, FaultSpec, RandomFaultConfig } from '#local/emulator/types';

const ALL_KINDS: readonly FaultKind[] = ['throttling', 'http500', 'drop', 'busy', 'latency'];

/** The spec a random fault of `kind` plays; a latency spike lasts 200–500 ms. */
function specOf(kind: FaultKind, random: Random): FaultSpec {
  switch (kind) {
    case 'busy':
      return { kind: 'fault', code: 'InvalidServerlessCacheStateFault', httpStatus: 400 };
    case 'latency':
      return { kind: 'latency', ms: randomInt(random, 200, 500) };
    default:
      return { kind };
  }
}

export class FaultInjector {
  private readonly scripted = new Map<string, FaultSpec[]>();
  private random: { config: RandomFaultConfig; kinds: readonly FaultKind[]; draw: Random } | undefined;

  /** Queues faults for the next calls of `action`, after any already queued. */
  script(action: string, faults: readonly FaultSpec[]): void {
    const queue = this.scripted.get(action) ?? [];
    queue.push(...faults);
    this.scripted.set(action, queue);
  }

  /** Starts (or, with undefined, stops) random faults; restarting with the same seed repeats the draws. */
  setRandom(config: RandomFaultConfig | undefined): void {
    if (config === undefined) {
      this.random = undefined;
      return;
    }
    if (!(config.rate >= 0 && config.rate <= 1)) throw new RangeError('rate must be between 0 and 1');
    const kinds = config.kinds ?? ALL_KINDS;
    if (kinds.length === 0) throw new RangeError('kinds must name at least one fault kind');
    this.random = { config, kinds, draw: createRandom(config.seed) };
  }

  /** Drops every scripted fault and stops random ones. */
  clear(): void {
    this.scripted.clear();
    this.random = undefined;
  }

  /** Scripted faults still queued for `action`. */
  pending(action: string): number {
    return this.scripted.get(action)?.length ?? 0;
  }

  /** The fault this call of `action` gets, if any: a scripted one first, else a random draw. */
  next(action: string): FaultSpec | undefined {
    const scripted = this.scripted.get(action)?.shift();
    if (scripted) return scripted;
    if (!this.random) return undefined;
    const { config, kinds, draw } = this.random;
    if (config.actions && !config.actions.includes(action)) return undefined;
    if (draw() >= config.rate) return undefined;
    const kind = kinds[Math.floor(draw() * kinds.length)] ?? 'throttling';
    return specOf(kind, draw);
  }
}
