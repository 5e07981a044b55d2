/**
 * The local stack (dynalite and the ElastiCache emulator) in a process of its own, so that the code being
 * measured does not share its thread with the stack's work. Driven over the IPC channel by remote-stack.ts.
 */
import { startLocalStack } from '#local/stack';
import type { CallSummary, StackMessage, StackRequest } from './stack-protocol';

const stack = await startLocalStack({ emulator: { accountSnapshotLimit: 1_000_000 } });
const emulator = stack.emulator;

function send(message: StackMessage): void {
  process.send?.(message);
}

/** Carries out one request; the call log is the only answer with content. */
function handle(request: StackRequest): readonly CallSummary[] | undefined {
  switch (request.op) {
    case 'seedCaches': {
      const { partition, tags } = request;
      const target = partition ? emulator.partition(partition.accountId, partition.region) : emulator;
      for (const name of request.names) target.seedCache({ name, ...(tags ? { tags: { ...tags } } : {}) });
      return undefined;
    }
    case 'trustRole':
      stack.sts.trustRole(request.roleArn, {
        externalId: request.externalId,
        trustedAccounts: [request.trusted],
      });
      return undefined;
    case 'setLatency':
      emulator.setLatency(request.ms === undefined ? undefined : { minMs: request.ms, maxMs: request.ms });
      return undefined;
    case 'setRateLimit':
      emulator.setRateLimit(request.perSecond);
      return undefined;
    case 'calls':
      return emulator.calls.map((call) => ({
        action: call.action,
        at: call.at.getTime(),
        outcome: call.outcome,
        accountId: call.accountId,
        region: call.region,
      }));
    case 'resetCalls':
      emulator.resetCalls();
      return undefined;
  }
}

process.on('message', (message: StackRequest & { id: number }) => {
  send({ kind: 'reply', id: message.id, calls: handle(message) });
});
process.on('disconnect', () => {
  void stack.stop().then(() => process.exit(0));
});
send({ kind: 'ready', env: stack.env });
