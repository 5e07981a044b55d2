import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliFixture, startCliFixture } from './support/cli-stack';

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** A CloudFormation endpoint (AWS Query protocol) that knows one stack and its outputs. */
function describeStacksXml(stackName: string, outputs: Record<string, string>): string {
  const members = Object.entries(outputs)
    .map(
      ([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`,
    )
    .join('');
  return `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member><StackName>${stackName}</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

function notFoundXml(stackName: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${stackName} does not exist</Message></Error><RequestId>r2</RequestId></ErrorResponse>`;
}

describe('cache-snapshots table names', () => {
  let fixture: CliFixture;
  let server: Server;
  let endpoint: string;
  const requested: string[] = [];
  let noTables: Record<string, string | undefined>;

  beforeAll(async () => {
    fixture = await startCliFixture(['orders']);
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        const stackName = new URLSearchParams(body).get('StackName') ?? '';
        requested.push(stackName);
        const known = stackName === 'cache-snapshot-orchestrator-test';
        const outputs = {
          PoliciesTableName: fixture.stack.policiesTable,
          RunsTableName: fixture.stack.runsTable,
          TargetsTableName: fixture.stack.targetsTable,
        };
        response.writeHead(known ? 200 : 400, { 'content-type': 'text/xml' });
        response.end(known ? describeStacksXml(stackName, outputs) : notFoundXml(stackName));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    noTables = {
      POLICIES_TABLE: undefined,
      RUNS_TABLE: undefined,
      TARGETS_TABLE: undefined,
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
    };
    await fixture.cli(
      ['policy', 'put', '-'],
      JSON.stringify({ policyId: 'p1', cacheName: 'orders', schedule: 'rate(1 day)' }),
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await fixture?.stop();
  });

  it("reads the table names from the deployed stack's outputs, by stage", async () => {
    const result = await fixture.cli(['policy', 'list', '--stage', 'test'], undefined, noTables);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^p1\s+orders/m);
    expect(requested).toContain('cache-snapshot-orchestrator-test');
  });

  it('takes the table names from the flags without asking CloudFormation', async () => {
    requested.length = 0;
    const flags = [
      ...['--policies-table', fixture.stack.policiesTable, '--runs-table', fixture.stack.runsTable],
      ...['--targets-table', fixture.stack.targetsTable],
    ];

    const result = await fixture.cli(['policy', 'get', 'p1', ...flags], undefined, noTables);

    expect(result.code).toBe(0);
    expect(requested).toEqual([]);
  });

  it('fails in one line naming the stack when it does not exist, with the stack trace only under --verbose', async () => {
    const quiet = await fixture.cli(['status', '--stack', 'nope'], undefined, noTables);
    const verbose = await fixture.cli(['status', '--stack', 'nope', '--verbose'], undefined, noTables);

    expect(quiet.code).toBe(1);
    expect(quiet.stderr.trim().split('\n')).toHaveLength(1);
    expect(quiet.stderr).toContain(
      'could not read the table names from stack nope (Stack with id nope does not exist)',
    );
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^\s+at /m);
  });
});
