import type { Command } from 'commander';
import { getAction, listAction } from './policy-read';
import { deleteAction, putAction, validateAction } from './policy-write';

/** The `policy` command group: write, read, delete and validate policy records. */
export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('write, read, delete and validate policy records');
  policy
    .command('put')
    .argument('<file>', 'JSON or YAML file (- for stdin): one policy or a list')
    .description(
      'validate every policy in the file, then write and sync them (nothing is written if any is invalid)',
    )
    .action(putAction);
  policy
    .command('get')
    .argument('<id>', 'policy id')
    .description('show a policy item as stored')
    .action(getAction);
  policy.command('list').description('list every policy with its state and next run').action(listAction);
  policy
    .command('delete')
    .argument('<id>', 'policy id')
    .description('delete a policy (its run records and snapshots are kept)')
    .action(deleteAction);
  policy
    .command('validate')
    .argument('<file>', 'JSON or YAML file (- for stdin): one policy or a list')
    .description('check policies as policy sync would, without touching AWS')
    .action(validateAction);
}
