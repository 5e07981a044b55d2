import type { Command } from 'commander';
import { contextOf } from '#cli/context';
import { CliError } from '#cli/errors';
import { formatUtc } from '#cli/format';
import { printJson, printLine, printLines, printTable } from '#cli/output';
import { readPolicySource } from '#cli/policy-documents';
import { checkPolicies, describeIssues, type PolicyCheck, writePolicies } from '#cli/policy-writes';
import { shorten } from '#lib/errors';
import { syncDeps } from '#lib/runtime';

function verdicts(checks: readonly PolicyCheck[]) {
  return checks.map((check) => ({
    policy: check.label,
    valid: check.issues.length === 0,
    issues: check.issues,
  }));
}

/** `policy validate <file>`: every record checked as policy sync checks it; nothing is read or written in AWS. */
export async function validateAction(file: string, _options: object, command: Command): Promise<void> {
  const { options } = contextOf(command);
  const checks = checkPolicies((await readPolicySource(file)).records);
  const invalid = checks.filter((check) => check.issues.length > 0);
  if (options.json) printJson(verdicts(checks));
  else {
    const lines: string[] = [];
    for (const check of checks) {
      lines.push(`${check.issues.length === 0 ? 'valid  ' : 'invalid'}  ${check.label}`);
      for (const issue of check.issues) lines.push(`  ${describeIssues([issue])}`);
    }
    printLines(lines);
  }
  if (invalid.length > 0)
    throw new CliError(`${invalid.length} of ${checks.length} policies in ${file} are invalid`);
}

/**
 * `policy put <file|->`: refuses the whole file when any record is invalid (nothing is written), else writes
 * each policy and syncs it, so state and nextRunAt are set at once. Fails when a written policy is INVALID
 * (its cache does not exist).
 */
export async function putAction(file: string, _options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const checks = checkPolicies((await readPolicySource(file)).records);
  const refused = checks.filter((check) => check.issues.length > 0);
  if (refused.length > 0) {
    if (context.options.json) printJson({ written: [], refused: verdicts(refused) });
    throw new CliError(
      refused
        .map((check) => `policy ${check.label} refused, nothing written: ${describeIssues(check.issues)}`)
        .join('\n'),
    );
  }
  const writes = await writePolicies(syncDeps(await context.runtime()), checks);
  if (context.options.json) printJson({ written: writes, refused: [] });
  else {
    const rows = writes.map((write) => [
      write.policyId,
      write.action,
      write.state ?? '-',
      write.nextRunAt ? formatUtc(write.nextRunAt) : '-',
      write.stateReason ?? '',
    ]);
    printTable(['POLICY', 'RESULT', 'STATE', 'NEXT RUN', 'REASON'], rows, 'no policies');
  }
  const invalid = writes.filter((write) => write.state === 'INVALID');
  if (invalid.length > 0)
    throw new CliError(
      invalid
        .map((write) => `policy ${write.policyId} was written but is INVALID: ${write.stateReason}`)
        .join('\n'),
    );
}

/** `policy delete <id>`: removes the policy item; its run records and snapshots stay. */
export async function deleteAction(policyId: string, _options: object, command: Command): Promise<void> {
  const context = contextOf(command);
  const runtime = await context.runtime();
  if (!(await runtime.policies.get(policyId))) {
    throw new CliError(`no policy ${shorten(policyId)} in table ${runtime.config.policiesTable}`);
  }
  await runtime.policies.delete(policyId);
  if (context.options.json) printJson({ policyId, deleted: true });
  else printLine(`deleted policy ${policyId} (its run records and snapshots are kept)`);
}
