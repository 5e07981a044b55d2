import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatUtc } from '#cli/format';
import { readPolicySource } from '#cli/policy-documents';
import { checkPolicies, writePolicy } from '#cli/policy-writes';
import type { PolicyItem } from '#lib/policy/types';
import { type SyncDeps, syncPolicyItem } from '#lib/sync/sync-policy';

/** examples/ at the repository root: the policy files `npm start` seeds. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Writes a record as it is, with no validation (as a console edit could), then syncs it as the stream would. */
async function writeUnchecked(deps: SyncDeps, item: PolicyItem): Promise<PolicyItem | undefined> {
  await deps.policies.put(item);
  const stored = await deps.policies.get(item.policyId);
  if (stored) await syncPolicyItem(deps, stored);
  return deps.policies.get(item.policyId);
}

/**
 * Seeds every policy file of `dir` (JSON and YAML, by name): valid records go through `policy put`'s code
 * (validate, write, sync); a refused record is shown with its issues, then written unchecked so policy sync
 * marks it INVALID. Returns nothing: what happened is in the table and in the lines given to `log`.
 */
export async function seedExamples(deps: SyncDeps, dir: string, log: (line: string) => void): Promise<void> {
  const files = readdirSync(dir)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort();
  for (const file of files) {
    const checks = checkPolicies((await readPolicySource(join(dir, file))).records);
    for (const check of checks) {
      if (check.policyId !== undefined) {
        const write = await writePolicy(deps, check.record, check.policyId);
        const next = write.nextRunAt ? `, next run ${formatUtc(write.nextRunAt)}` : '';
        log(`  policy put ${file}: ${write.policyId} ${write.state}${next}`);
        continue;
      }
      log(`  policy put ${file}: ${check.label} refused (${check.issues.length} broken rules)`);
      if (typeof check.record.policyId !== 'string') continue;
      const stored = await writeUnchecked(deps, check.record as PolicyItem);
      log(
        `  written anyway, as a console edit could: ${check.label} ${stored?.state}: ${stored?.stateReason}`,
      );
    }
  }
}
