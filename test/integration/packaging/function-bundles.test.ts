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
import { EXTERNAL_ID, MEMBER, roleOf } from '#test/integration/placements/accounts';
import { oncePerRun } from '#test/integration/support/once-per-run';

// The functions bundled as deployed (FUNCTION_BUNDLE: serverless-esbuild gets the same plugins), run in
// fresh Node processes with the deployed --enable-source-maps against the local stack.
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

async function runBundle(
  name: string,
  event?: unknown,
  without: readonly string[] = [],
): Promise<{ result: unknown; loaded: string[] }> {
  const args = ['--enable-source-maps', '-e', CHILD, join(folder, `${name}.cjs`)];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...stack.env,
    MEMBER_EXTERNAL_ID: EXTERNAL_ID,
    LOG_LEVEL: 'ERROR',
  };
  for (const name of without) delete env[name];
  const { stdout } = await run(process.execPath, event ? [...args, JSON.stringify(event)] : args, { env });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '');
}

interface ExportingPolicy {
  readonly policyId: string;
  readonly cacheName: string;
  readonly bucket: string;
  readonly account?: string;
}

/** `policy` as its item: hourly, exporting to its bucket, in its account when it names one. */
function itemOf(policy: ExportingPolicy) {
  const { policyId, cacheName, bucket, account } = policy;
  return {
    policyId,
    cacheName,
    schedule: 'rate(1 hour)',
    export: { bucket },
    ...(account ? { account } : {}),
  };
}

/** events/policy-stream-insert.json's record, inserting `policy` instead (sequence numbers in order). */
async function insertOf(policy: ExportingPolicy, sequence: number) {
  const sample = JSON.parse(await readFile('events/policy-stream-insert.json', 'utf8'));
  const [record] = sample.Records;
  const image = {
    policyId: { S: policy.policyId },
    cacheName: { S: policy.cacheName },
    schedule: { S: 'rate(1 hour)' },
    export: { M: { bucket: { S: policy.bucket } } },
    ...(policy.account ? { account: { S: policy.account } } : {}),
  };
  const change = { Keys: { policyId: image.policyId }, NewImage: image, SequenceNumber: String(sequence) };
  return { ...record, eventID: policy.policyId, dynamodb: { ...record.dynamodb, ...change } };
}

beforeAll(async () => {
  folder = await oncePerRun('function-bundles', async (into) => {
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

describe('source maps of our own code only (scripts/own-source-maps.cjs)', () => {
  it.each(FUNCTIONS)('%s: its map names our files and no package', async (name) => {
    const map = JSON.parse(await readFile(join(folder, `${name}.cjs.map`), 'utf8')) as { sources: string[] };

    expect(map.sources.filter((source) => source.endsWith(`functions/${name}.ts`))).toHaveLength(1);
    expect(map.sources.filter((source) => source.includes('node_modules'))).toEqual([]);
  });

  it('maps a stack trace through the bundle to our source lines', async () => {
    const failed = await runBundle('scheduler', undefined, ['POLICIES_TABLE']).then(
      () => '',
      (error: { stderr: string }) => error.stderr,
    );

    expect(failed).toContain('environment variable POLICIES_TABLE is required');
    expect(failed).toMatch(/at \S+ \(\S*lib\/config\.ts:\d+:\d+\)/);
  });
});

describe('the S3 client, a file of its own beside each function (scripts/lazy-packages.cjs)', () => {
  it.each(FUNCTIONS)('%s requires it from beside itself and carries no S3 client code', async (name) => {
    const bundle = await readFile(join(folder, `${name}.cjs`), 'utf8');

    expect(bundle).toContain(`require("./${CHUNK}")`);
    expect(bundle).not.toContain(S3_ONLY);
  });

  it('holds the S3 client, without a source map (no code of ours is in it)', async () => {
    const chunk = await readFile(join(folder, CHUNK), 'utf8');

    expect(chunk).toContain(S3_ONLY);
    expect(chunk).not.toContain('sourceMappingURL');
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
    for (const policy of [found, missing]) await policies.put(itemOf(policy));

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

  it("checks a member account's bucket through it on the member role's credentials from the local STS", async () => {
    stack.sts.trustRole(roleOf(MEMBER), {
      externalId: EXTERNAL_ID,
      trustedAccounts: [stack.emulator.accountId],
    });
    stack.emulator.partition(MEMBER, stack.emulator.region).seedCache({ name: 'billing' });
    await stack.s3?.createBucket('member-exports');
    const policy = {
      policyId: 'member-export',
      cacheName: 'billing',
      bucket: 'member-exports',
      account: MEMBER,
    };
    await policies.put(itemOf(policy));

    const { result } = await runBundle('policy-sync', { Records: [await insertOf(policy, 3)] });

    expect(result).toEqual({ batchItemFailures: [] });
    expect(await policies.get(policy.policyId)).toMatchObject({ state: 'ACTIVE' });
    const issued = stack.sts.calls
      .filter((call) => call.roleArn === roleOf(MEMBER) && call.outcome === 'ok')
      .map((call) => call.accessKeyId);
    const checks = stack.s3?.calls.filter((call) => call.bucket === 'member-exports') ?? [];
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((call) => !issued.includes(call.accessKeyId) || call.accountId !== MEMBER)).toEqual(
      [],
    );
  });
});
