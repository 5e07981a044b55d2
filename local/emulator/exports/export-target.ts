/**
 * Where ExportServerlessCacheSnapshot writes: an S3 endpoint reached through the real S3 API, as the service
 * writes into the customer's bucket. The SDK is loaded on first use, so emulators that never export do not
 * pay for it.
 */

/** The S3 calls an export makes. */
export interface ExportTarget {
  /** The bucket's region (GetBucketLocation), or undefined when there is no such bucket. */
  bucketRegion(bucket: string): Promise<string | undefined>;
  objectExists(bucket: string, key: string): Promise<boolean>;
  putObject(bucket: string, key: string, body: Buffer): Promise<void>;
  close(): void;
}

/** HTTP status of an SDK error, if it carries one. */
function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** An export target speaking the S3 API to `endpoint` (path-style, as any S3 endpoint URL here). */
export async function connectS3ExportTarget(endpoint: string): Promise<ExportTarget> {
  const { S3Client, GetBucketLocationCommand, HeadObjectCommand, PutObjectCommand } = await import(
    '@aws-sdk/client-s3'
  );
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'elasticache-export', secretAccessKey: 'local' },
  });
  return {
    async bucketRegion(bucket) {
      try {
        const output = await client.send(new GetBucketLocationCommand({ Bucket: bucket }));
        const constraint: string = output.LocationConstraint ?? '';
        if (constraint === '') return 'us-east-1';
        return constraint === 'EU' ? 'eu-west-1' : constraint;
      } catch (error) {
        if ((error as Error).name === 'NoSuchBucket' || statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async objectExists(bucket, key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (statusOf(error) === 404) return false;
        throw error;
      }
    },
    async putObject(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    close: () => client.destroy(),
  };
}
