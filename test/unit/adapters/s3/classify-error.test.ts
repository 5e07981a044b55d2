import { NoSuchBucket, NoSuchKey, NoSuchUpload, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { classifyS3Error } from '#lib/adapters/s3/classify-error';
import { AssumeRoleError, type FaultClass, ObjectStoreError } from '#lib/errors';

const at = (httpStatusCode: number) => ({ $metadata: { httpStatusCode }, message: 'from S3' });

function unmodelled(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'server',
    $metadata: { httpStatusCode },
    message: `${name} said S3`,
  });
}

describe('classifyS3Error', () => {
  it.each<[string, unknown, string, FaultClass]>([
    ['NoSuchBucket', new NoSuchBucket(at(404)), 'NoSuchBucket', 'not-found'],
    ['NoSuchKey', new NoSuchKey(at(404)), 'NoSuchKey', 'not-found'],
    ['NoSuchUpload', new NoSuchUpload(at(404)), 'NoSuchUpload', 'not-found'],
    ["HeadObject's bodiless 404", new NotFound(at(404)), 'NotFound', 'not-found'],
    ['AccessDenied', unmodelled('AccessDenied', 403), 'AccessDenied', 'terminal'],
    ['SlowDown (throttling, a 503)', unmodelled('SlowDown', 503), 'SlowDown', 'transient'],
    ['InternalError (a 500)', unmodelled('InternalError', 500), 'InternalError', 'transient'],
    ['a 429', unmodelled('TooManyRequests', 429), 'TooManyRequests', 'transient'],
    [
      'a member role refused for the client’s credentials',
      new AssumeRoleError('arn:aws:iam::222222222222:role/m', 'AccessDenied', 'terminal', 'could not assume'),
      'AssumeRoleFailed',
      'terminal',
    ],
    [
      'a member role throttled',
      new AssumeRoleError('arn:aws:iam::222222222222:role/m', 'Throttling', 'transient', 'could not assume'),
      'AssumeRoleFailed',
      'transient',
    ],
    [
      'a connection reset',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      'ECONNRESET',
      'transient',
    ],
    ['RequestTimeout', unmodelled('RequestTimeout', 400), 'RequestTimeout', 'transient'],
    ['an unknown fault', unmodelled('InvalidObjectState', 403), 'InvalidObjectState', 'terminal'],
    ['not an error at all', 'boom', 'UnknownError', 'terminal'],
  ])('classifies %s', (_, error, code, faultClass) => {
    const fault = classifyS3Error(error, 'orders-exports');

    expect(fault).toBeInstanceOf(ObjectStoreError);
    expect(fault).toMatchObject({ code, faultClass, bucket: 'orders-exports' });
    expect(fault.cause).toBe(error);
  });

  it("names the bucket and the key in the message, keeping S3's own words and status", () => {
    const fault = classifyS3Error(unmodelled('AccessDenied', 403), 'orders-dr', 'orders-0001.rdb');

    expect(fault.message).toBe(
      'AccessDenied on bucket "orders-dr", key "orders-0001.rdb": AccessDenied said S3',
    );
    expect(fault.httpStatus).toBe(403);
  });

  it('passes an ObjectStoreError through unchanged', () => {
    const fault = new ObjectStoreError('NoSuchBucket', 'not-found', 'b', 'gone');

    expect(classifyS3Error(fault, 'other')).toBe(fault);
  });
});
