import type { RecordedEvent } from '#local/eventbridge/index';

/**
 * One line per event the local EventBridge received, for `npm start -- --serve`: the detail-type, the run
 * it is about, the change and its error code.
 */
export function eventLine(event: RecordedEvent): string {
  const { policyId, cacheName, slot, previousStatus, status, attempts, error } = event.detail;
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? ` (${String(error.code)})` : '';
  return (
    `event ${event.detailType}: ${policyId} ${cacheName} slot ${slot}: ` +
    `${previousStatus ?? 'new'} → ${status}, ${attempts} attempts${code}`
  );
}

/** The events by detail-type, then by status (in the order they first came), for `npm start`'s report. */
export function countEvents(events: readonly RecordedEvent[]): string[] {
  const byType = new Map<string, Map<string, number>>();
  for (const event of events) {
    const statuses = byType.get(event.detailType) ?? new Map<string, number>();
    byType.set(event.detailType, statuses);
    const status = String(event.detail.status);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  const lines = [...byType].map(
    ([detailType, statuses]) =>
      `  ${detailType}: ${[...statuses].map(([status, count]) => `${status} ${count}`).join(', ')}`,
  );
  return [`EventBridge received ${events.length} events (source cache-snapshot-orchestrator):`, ...lines];
}
