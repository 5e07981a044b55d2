import { describe, expect, it } from 'vitest';
import { exportCell } from '#cli/export-cell';
import type { RunExport } from '#lib/runs/types';

const base: RunExport = {
  status: 'EXPORTED',
  bucket: 'orders-exports',
  region: 'us-east-1',
  attempts: 1,
  giveUpAt: '2026-04-07T00:00:00.000Z',
};

describe('exportCell', () => {
  it('shows a dash for a run whose snapshot was not exported', () => {
    expect(exportCell({})).toBe('-');
  });

  it('shows the status and the bucket, and both buckets once copied', () => {
    expect(exportCell({ export: base })).toBe('EXPORTED orders-exports');
    expect(
      exportCell({
        export: { ...base, status: 'REPLICATED', replica: { bucket: 'orders-dr', region: 'eu-west-1' } },
      }),
    ).toBe('REPLICATED orders-exports → orders-dr');
  });

  it('shows the last error code of a retrying or failed export', () => {
    const failed: RunExport = {
      ...base,
      status: 'FAILED',
      lastError: { code: 'InvalidParameterValue', message: 'Export to S3 bucket "orders-exports" refused' },
    };
    expect(exportCell({ export: failed })).toBe('FAILED orders-exports (InvalidParameterValue)');
  });
});
