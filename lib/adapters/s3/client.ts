import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * The one place S3 clients are built, one per region (each bucket's calls go to its own region). No endpoint
 * is set, so the SDK's standard `AWS_ENDPOINT_URL_S3` decides between AWS and the local S3; as the SDK reads
 * no variable for path-style addressing, it is switched on whenever that variable is set (a local endpoint
 * has no per-bucket host names). `followRegionRedirects` lets a call sent to the wrong region be retried in
 * the bucket's own, so a bucket that moved or was named with the wrong region still answers.
 */
export function createS3Client(region: string, config: S3ClientConfig = {}): S3Client {
  const local = (process.env.AWS_ENDPOINT_URL_S3 ?? '') !== '';
  return new S3Client({
    region,
    followRegionRedirects: true,
    ...(local ? { forcePathStyle: true } : {}),
    ...config,
  });
}

/** A client per region, built on first use and kept for the life of the process. */
export function s3ClientsByRegion(config: S3ClientConfig = {}): (region: string) => S3Client {
  const clients = new Map<string, S3Client>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = createS3Client(region, config);
      clients.set(region, client);
    }
    return client;
  };
}
