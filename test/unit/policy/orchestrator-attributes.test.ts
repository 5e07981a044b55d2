import { describe, expect, it } from 'vitest';
import { readOrchestratorAttributes } from '#lib/policy/orchestrator-attributes';
import type { PolicyItem } from '#lib/policy/types';

const SLOT = '2026-03-23T06:00:00.000Z';
const WELL_FORMED = {
  state: 'ACTIVE',
  stateReason: 'warning: schedule: …',
  nextRunAt: SLOT,
  syncedAt: SLOT,
  activatedAt: SLOT,
  lastRun: { slot: SLOT, status: 'FAILED', at: SLOT, errorCode: 'ServerlessCacheNotFoundFault' },
  newestSnapshot: {
    slot: SLOT,
    snapshotName: 'orders-20260323-0600-abcd1234',
    takenAt: SLOT,
    availableAt: SLOT,
  },
};

function item(attributes: Record<string, unknown>): PolicyItem {
  return { policyId: 'orders-hourly', cacheName: 'orders', ...attributes };
}

describe('readOrchestratorAttributes', () => {
  it('reads every well-formed attribute, with no problems', () => {
    expect(readOrchestratorAttributes(item(WELL_FORMED))).toEqual({ view: WELL_FORMED, problems: [] });
  });

  it('reads an item the orchestrator has not touched yet as an empty view', () => {
    expect(readOrchestratorAttributes(item({}))).toEqual({ view: {}, problems: [] });
  });

  it.each([
    [
      'lastRun a string',
      { lastRun: 'AVAILABLE' },
      'lastRun',
      'must be a map { slot, status, at } (found string)',
    ],
    [
      'lastRun.slot a number',
      { lastRun: { ...WELL_FORMED.lastRun, slot: 1 } },
      'lastRun.slot',
      'must be a string (found number)',
    ],
    ['nextRunAt garbage', { nextRunAt: 'soon' }, 'nextRunAt', 'must be an ISO-8601 UTC instant'],
    [
      'nextRunAt a local time',
      { nextRunAt: '2026-03-23T06:00:00' },
      'nextRunAt',
      'must be an ISO-8601 UTC instant',
    ],
    ['state unknown', { state: 'PAUSED' }, 'state', 'must be ACTIVE, INVALID or DISABLED'],
    ['stateReason a number', { stateReason: 7 }, 'stateReason', 'must be a string (found number)'],
    [
      'newestSnapshot.takenAt garbage',
      { newestSnapshot: { ...WELL_FORMED.newestSnapshot, takenAt: 'then' } },
      'newestSnapshot.takenAt',
      'must be an ISO-8601 UTC instant',
    ],
  ])('leaves out %s and names it, keeping the other attributes', (_name, broken, attribute, message) => {
    const reading = readOrchestratorAttributes(item({ ...WELL_FORMED, ...broken }));

    const name = attribute.split('.')[0] as keyof typeof WELL_FORMED;
    expect(reading.view).toEqual(
      Object.fromEntries(Object.entries(WELL_FORMED).filter(([key]) => key !== name)),
    );
    expect(reading.problems).toEqual([{ attribute, message: expect.stringContaining(message) }]);
  });
});
