import type { SlotSummaries } from '#lib/policy/types';
import type { ExpressionBuilder } from './expression-builder';

/**
 * The condition terms under which `summaries` may be written: for each one given, no summary of a newer
 * slot is stored (policy-items' maySetSummaries, as a condition expression).
 */
export function summaryConditionTerms(
  builder: ExpressionBuilder,
  summaries: Partial<SlotSummaries>,
): string[] {
  return (['lastRun', 'newestSnapshot'] as const).flatMap((attribute) => {
    const summary = summaries[attribute];
    if (summary === undefined) return [];
    const storedSlot = builder.path([attribute, 'slot']);
    return [`(attribute_not_exists(${storedSlot}) OR ${storedSlot} <= ${builder.value(summary.slot)})`];
  });
}
