import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createElastiCacheClient,
  ElastiCacheSnapshotGateway,
} from '#lib/adapters/elasticache/snapshot-gateway';
import type { FaultClass } from '#lib/errors';

/**
 * The real SDK and the real AWS Query error format, against a stub that answers every request with the
 * fault under test: proves the classification holds for what the SDK actually throws (e.g. the wire code
 * `InvalidParameterValue` arrives as `InvalidParameterValueException`).
 */
describe('ElastiCacheSnapshotGateway faults through the wire protocol', () => {
  let server: Server;
  let endpoint: string;
  let answer = { status: 400, code: 'Throttling' };

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' });
        response.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${answer.code}</Code><Message>${answer.code} said no</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const gatewayAt = (url: string) =>
    new ElastiCacheSnapshotGateway(createElastiCacheClient({ endpoint: url, maxAttempts: 1 }));
  const request = {
    snapshotName: 'orders-20250301-1000-abc',
    cacheName: 'orders-cache',
    kmsKeyId: undefined,
    tags: {},
  };

  const faults: [string, number, FaultClass][] = [
    ['Throttling', 400, 'transient'],
    ['InternalFailure', 503, 'transient'],
    ['InvalidServerlessCacheStateFault', 400, 'busy'],
    ['ServerlessCacheSnapshotQuotaExceededFault', 400, 'quota'],
    ['ServerlessCacheSnapshotAlreadyExistsFault', 400, 'already-exists'],
    ['ServerlessCacheNotFoundFault', 404, 'not-found'],
    ['InvalidParameterValue', 400, 'terminal'],
    ['InvalidParameterCombination', 400, 'terminal'],
    ['TagQuotaPerResourceExceeded', 400, 'terminal'],
    ['ServiceLinkedRoleNotFoundFault', 400, 'terminal'],
  ];
  it.each(faults)(
    'classifies %s (HTTP %i) as %s, keeping the wire code',
    async (code, status, faultClass) => {
      answer = { status, code };
      await expect(gatewayAt(endpoint).createSnapshot(request)).rejects.toMatchObject({
        code,
        faultClass,
        httpStatus: status,
        message: `${code} said no`,
      });
    },
  );

  it('classifies a refused connection as transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(gatewayAt(url).createSnapshot(request)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
      faultClass: 'transient',
    });
  });

  it('answers undefined for a snapshot the service does not know', async () => {
    answer = { status: 404, code: 'ServerlessCacheSnapshotNotFoundFault' };
    expect(await gatewayAt(endpoint).getSnapshot('gone')).toBeUndefined();
  });
});
