import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItemClient } from '#lib/adapters/dynamodb/item-client';
import { DynamoPolicyStore } from '#lib/adapters/dynamodb/policy-store';
import { type LocalStack, startLocalStack } from '#local/stack';
import { FUNCTION_BUNDLE } from '#scripts/bundle-options.mjs';
import { oncePerRun } from '#test/integration/support/once-per-run';

const run = promisify(execFile);
const FUNCTIONS = ['scheduler', 'policy-sync', 'reconcile'];
const CHUNK = 'aws-sdk-client-s3.cjs';
/** An S3 operation's name: in the S3 client's code, in no other package the functions bundle. */
const S3_ONLY = '"PutBucketLifecycleConfiguration"';

/**
 * Runs in a fresh Node process: loads `bundle`, optionally invokes its handler with `event`, and prints the
 * handler's result and the files the process loaded (require.cache).
 */
const CHILD = `
const [bundle, event] = process.argv.slice(1);
const context = { functionName: 'f', functionVersion: '$LATEST', awsRequestId: 'r', memoryLimitInMB: '128',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', getRemainingTimeInMillis: () => 60000 };
const { handler } = require(bundle);
Promise.resolve(event ? handler(JSON.parse(event), context) : undefined).then((result) => {
  process.stdout.write(JSON.stringify({ result, loaded: Object.keys(require.cache) }) + '\\n');
});
`;

let folder: string;
let stack: LocalStack;
let policies: DynamoPolicyStore;

async function runBundle(name: string, event?: unknown): Promise<{ result: unknown; loaded: string[] }> {
  const args = ['--enable-source-maps', '-e', CHILD, join(folder, `${name}.cjs`)];
  const { stdout } = await run(process.execPath, event ? [...args, JSON.stringify(event)] : args, {
    env: { PATH: process.env.PATH ?? '', ...stack.env, LOG_LEVEL: 'ERROR' },
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '');
}

/** events/policy-stream-insert.json's record, inserting `policy` instead (sequence numbers in order). */
async function insertOf(policy: { policyId: string; cacheName: string; bucket: string }, sequence: number) {
  const sample = JSON.parse(await readFile('events/policy-stream-insert.json', 'utf8'));
  const [record] = sample.Records;
  const image = {
    policyId: { S: policy.policyId },
    cacheName: { S: policy.cacheName },
    schedule: { S: 'rate(1 hour)' },
    export: { M: { bucket: { S: policy.bucket } } },
  };
  const change = { Keys: { policyId: image.policyId }, NewImage: image, SequenceNumber: String(sequence) };
  return { ...record, eventID: policy.policyId, dynamodb: { ...record.dynamodb, ...change } };
}

beforeAll(async () => {
  folder = await oncePerRun('lazy-packages-functions', async (into) => {
    await build({
      ...FUNCTION_BUNDLE,
      entryPoints: FUNCTIONS.map((name) => `functions/${name}.ts`),
      outExtension: { '.js': '.cjs' },
      outdir: into,
    });
  });
  stack = await startLocalStack({ s3: true });
  policies = new DynamoPolicyStore({
    client: createItemClient({
      endpoint: stack.dynamodbEndpoint,
      region: stack.env.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    tableName: stack.policiesTable,
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the S3 client, a file of its own beside each function (scripts/lazy-packages.cjs)', () => {
  it.each(FUNCTIONS)('%s requires it from beside itself and carries no S3 client code', async (name) => {
    const bundle = await readFile(join(folder, `${name}.cjs`), 'utf8');

    expect(bundle).toContain(`require("./${CHUNK}")`);
    expect(bundle).not.toContain(S3_ONLY);
  });

  it('holds the S3 client, with its source map', async () => {
    const chunk = await readFile(join(folder, CHUNK), 'utf8');

    expect(chunk).toContain(S3_ONLY);
    expect(chunk).toContain(`//# sourceMappingURL=${CHUNK}.map`);
    await expect(readFile(join(folder, `${CHUNK}.map`), 'utf8')).resolves.toContain('"mappings"');
  });

  it('is not loaded with the scheduler', async () => {
    const { loaded } = await runBundle('scheduler');

    expect(loaded).toContain(join(folder, 'scheduler.cjs'));
    expect(loaded).not.toContain(join(folder, CHUNK));
  });

  it("is loaded by policy sync's first S3 call and checks export buckets through the real SDK", async () => {
    await stack.s3?.createBucket('exports-here');
    stack.emulator.seedCache({ name: 'orders' });
    const found = { policyId: 'to-a-bucket', cacheName: 'orders', bucket: 'exports-here' };
    const missing = { policyId: 'to-no-bucket', cacheName: 'orders', bucket: 'exports-nowhere' };
    for (const policy of [found, missing]) {
      await policies.put({
        policyId: policy.policyId,
        cacheName: policy.cacheName,
        schedule: 'rate(1 hour)',
        export: { bucket: policy.bucket },
      });
    }

    const { result, loaded } = await runBundle('policy-sync', {
      Records: [await insertOf(found, 1), await insertOf(missing, 2)],
    });

    expect(result).toEqual({ batchItemFailures: [] });
    expect(loaded).toContain(join(folder, CHUNK));
    expect((await policies.get(found.policyId))?.state).toBe('ACTIVE');
    expect(await policies.get(missing.policyId)).toMatchObject({
      state: 'INVALID',
      stateReason: expect.stringContaining('bucket "exports-nowhere" does not exist'),
    });
    expect(stack.s3?.calls.map((call) => call.bucket)).toEqual(
      expect.arrayContaining(['exports-here', 'exports-nowhere']),
    );
  });
});
