/**
 * The condition under which `writeSyncResult` may write: the item exists and every operator attribute
 * still equals its value in the basis (or is absent when absent there). The in-memory twin of this rule is
 * `operatorAttributesMatch` (lib/adapters/policy-items.ts).
 *
 * Maps and lists are compared path by path, `attribute_type(p, M|L) AND size(p) = n AND p.k = v …`,
 * not with a whole-value `=`: DynamoDB compares maps deeply, but dynalite compares them by reference (so
 * `=` on a map is always false there). Same type, same size and equal entries is the same equality, on both.
 * Values too big or odd to flatten (more than MAX_FLATTENED_NODES nodes, deeper than MAX_FLATTENED_DEPTH,
 * an empty map key) fall back to whole-value `=`: still sound on DynamoDB, and only ever refuses on dynalite.
 * Such records break the policy rules anyway (at most 45 tags), and the fallback keeps the expression
 * under DynamoDB's 4 KB limit.
 */

import { stripUndefined } from '#lib/adapters/plain-values';
import { isPlainRecord } from '#lib/policy/attribute-checks';
import { OPERATOR_ATTRIBUTES, type PolicyItem } from '#lib/policy/types';
import type { DocumentPath, ExpressionBuilder } from './expression-builder';

const MAX_FLATTENED_NODES = 64;
const MAX_FLATTENED_DEPTH = 8;

function countNodes(value: unknown, depth: number): number {
  if (depth > MAX_FLATTENED_DEPTH) return Number.POSITIVE_INFINITY;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countNodes(item, depth + 1), 1);
  if (isPlainRecord(value)) {
    if (Object.keys(value).some((key) => key === '')) return Number.POSITIVE_INFINITY;
    return Object.values(value).reduce((sum: number, item) => sum + countNodes(item, depth + 1), 1);
  }
  return 1;
}

function equalsAt(builder: ExpressionBuilder, path: DocumentPath, value: unknown): string[] {
  const placeholder = builder.path(path);
  const entries: [string | number, unknown][] | undefined = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : isPlainRecord(value)
      ? Object.entries(value)
      : undefined;
  if (entries === undefined) return [`${placeholder} = ${builder.value(value)}`];
  const type = Array.isArray(value) ? 'L' : 'M';
  return [
    `attribute_type(${placeholder}, ${builder.value(type)})`,
    `size(${placeholder}) = ${builder.value(entries.length)}`,
    ...entries.flatMap(([key, item]) => equalsAt(builder, [...path, key], item)),
  ];
}

/** The ConditionExpression for a sync result computed from `basis`; names and values go into `builder`. */
export function buildOperatorCondition(builder: ExpressionBuilder, basis: PolicyItem): string {
  const terms = [`attribute_exists(${builder.name('policyId')})`];
  for (const attribute of OPERATOR_ATTRIBUTES) {
    if (attribute === 'policyId') continue;
    const value = stripUndefined(basis[attribute]);
    if (value === undefined) {
      terms.push(`attribute_not_exists(${builder.name(attribute)})`);
    } else if (countNodes(value, 0) <= MAX_FLATTENED_NODES) {
      terms.push(...equalsAt(builder, [attribute], value));
    } else {
      terms.push(`${builder.name(attribute)} = ${builder.value(value)}`);
    }
  }
  return terms.join(' AND ');
}
