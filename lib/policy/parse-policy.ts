import type * as z from 'zod';
import { type PolicyIssue, PolicyValidationError, shorten } from '#lib/errors';
import { checkWithSchema, describeType, isPlainRecord } from './attribute-checks';
import { attributeSchemas, DEFAULT_START_WINDOW_MINUTES, DEFAULT_TIMEZONE } from './attribute-schemas';
import { checkExport } from './check-export';
import { checkNamePrefix } from './check-name-prefix';
import { checkRestoreTest } from './check-restore-test';
import { checkRetention } from './check-retention';
import { checkSchedule, checkStartWindow } from './check-schedule';
import { checkTags } from './check-tags';
import { checkOneOfCacheNameAndTargets, checkTargets } from './check-targets';
import { OPERATOR_ATTRIBUTES, ORCHESTRATOR_ATTRIBUTES, type Policy } from './types';

/** Re-exported: policy sync takes the loop-guard hash from the same module as validatePolicy. */
export { computeSpecHash, operatorAttributes } from './spec-hash';

export type PolicyValidation =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

type OperatorAttribute = (typeof OPERATOR_ATTRIBUTES)[number];

const KNOWN_ATTRIBUTES: ReadonlySet<string> = new Set([...OPERATOR_ATTRIBUTES, ...ORCHESTRATOR_ATTRIBUTES]);
const ATTRIBUTE_ORDER: readonly string[] = OPERATOR_ATTRIBUTES;

function orderOf(issue: PolicyIssue): number {
  const index = ATTRIBUTE_ORDER.indexOf(issue.attribute.split('.')[0] ?? '');
  return index < 0 ? ATTRIBUTE_ORDER.length : index;
}

/**
 * Checks a policy record against every rule of docs/architecture.md ("Policy record") and applies the
 * defaults. Never throws, whatever the item holds: every broken rule is one `{ attribute, message }` issue,
 * in the order of the attribute table, unknown attributes last. Orchestrator attributes are ignored.
 */
export function validatePolicy(item: Record<string, unknown>): PolicyValidation {
  if (!isPlainRecord(item)) {
    return {
      ok: false,
      issues: [{ attribute: 'record', message: `must be a map (found ${describeType(item)})` }],
    };
  }
  const issues: PolicyIssue[] = [];
  const read = (name: OperatorAttribute): unknown => (Object.hasOwn(item, name) ? item[name] : undefined);
  const optional = <T>(name: OperatorAttribute, schema: z.ZodType<T>, fallback: T): T | undefined => {
    const value = read(name);
    return value === undefined ? fallback : checkWithSchema(issues, name, schema, value);
  };
  const required = <T>(name: OperatorAttribute, schema: z.ZodType<T>): T | undefined => {
    if (read(name) === undefined) issues.push({ attribute: name, message: 'is required' });
    return optional(name, schema, undefined);
  };

  const policyId = required('policyId', attributeSchemas.policyId);
  const cacheName = optional('cacheName', attributeSchemas.cacheName, undefined);
  const targets = checkTargets(read('targets'), issues);
  checkOneOfCacheNameAndTargets(read('cacheName'), read('targets'), issues);
  const timezone = optional('timezone', attributeSchemas.timezone, DEFAULT_TIMEZONE);
  const schedule = checkSchedule(read('schedule'), timezone ?? DEFAULT_TIMEZONE, issues);
  const enabled = optional('enabled', attributeSchemas.enabled, true);
  const namePrefix = checkNamePrefix(read('namePrefix'), cacheName, issues);
  const kmsKeyId = optional('kmsKeyId', attributeSchemas.kmsKeyId, undefined);
  const tags = checkTags(read('tags'), issues);
  const copyCacheTags = optional('copyCacheTags', attributeSchemas.copyCacheTags, false);
  const retention = checkRetention(read('retention'), issues);
  const startWindowMinutes = optional(
    'startWindowMinutes',
    attributeSchemas.startWindowMinutes,
    DEFAULT_START_WINDOW_MINUTES,
  );
  if (startWindowMinutes !== undefined && schedule !== undefined) {
    checkStartWindow(startWindowMinutes, schedule, issues);
  }
  const exportRule = checkExport(read('export'), issues);
  const restoreTest = checkRestoreTest(read('restoreTest'), timezone ?? DEFAULT_TIMEZONE, issues);
  const account = optional('account', attributeSchemas.account, undefined);
  const region = optional('region', attributeSchemas.region, undefined);
  for (const name of Object.keys(item)) {
    if (KNOWN_ATTRIBUTES.has(name)) continue;
    issues.push({
      attribute: name === '' ? '(empty name)' : shorten(name),
      message: 'unknown attribute',
    });
  }

  const refused = (): PolicyValidation => ({
    ok: false,
    issues: issues.sort((a, b) => orderOf(a) - orderOf(b)),
  });
  if (
    issues.length > 0 ||
    policyId === undefined ||
    schedule === undefined ||
    timezone === undefined ||
    enabled === undefined ||
    tags === undefined ||
    copyCacheTags === undefined ||
    startWindowMinutes === undefined
  ) {
    return refused();
  }
  const settings = {
    policyId,
    schedule: schedule.schedule,
    timezone,
    enabled,
    kmsKeyId,
    tags,
    copyCacheTags,
    retention,
    startWindowMinutes,
    export: exportRule,
    restoreTest,
    account,
    region,
  };
  if (cacheName !== undefined && namePrefix !== undefined) {
    return { ok: true, policy: Object.freeze({ ...settings, cacheName, namePrefix }) };
  }
  if (targets !== undefined) return { ok: true, policy: Object.freeze({ ...settings, targets, namePrefix }) };
  return refused();
}

/** Like validatePolicy, but returns the Policy or throws a PolicyValidationError listing every issue. */
export function parsePolicy(item: Record<string, unknown>): Policy {
  const result = validatePolicy(item);
  if (!result.ok) throw new PolicyValidationError(result.issues);
  return result.policy;
}
