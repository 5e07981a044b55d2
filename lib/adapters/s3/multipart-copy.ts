import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { ObjectStoreError } from '#lib/errors';
import { type CopyLimits, copyPartsOf, copyRemainingParts } from '#lib/exports/copy-plan';
import type { CopyOutcome, CopyRequest, ObjectRef, ObjectTags } from '#lib/exports/object-store';

/** ListParts' largest page. */
const PARTS_PAGE_SIZE = 1000;

/** The `x-amz-copy-source` of an object: `bucket/key`, the key URL-encoded segment by segment. */
export function copySource(object: ObjectRef): string {
  return `${object.bucket}/${object.key.split('/').map(encodeURIComponent).join('/')}`;
}

/** Tags as the `x-amz-tagging` header carries them: URL query parameters (`k1=v1&k2=v2`). */
export function taggingHeader(tags: ObjectTags): string {
  return Object.entries(tags)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** The parts an open multipart upload already has, by part number (ListParts, every page). */
async function partsAlreadyCopied(
  client: S3Client,
  target: ObjectRef,
  uploadId: string,
): Promise<Map<number, string>> {
  const done = new Map<number, string>();
  let PartNumberMarker: string | undefined;
  do {
    const page = await client.send(
      new ListPartsCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId: uploadId,
        MaxParts: PARTS_PAGE_SIZE,
        PartNumberMarker,
      }),
    );
    for (const part of page.Parts ?? []) {
      if (part.PartNumber !== undefined && part.ETag !== undefined) done.set(part.PartNumber, part.ETag);
    }
    PartNumberMarker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
  } while (PartNumberMarker !== undefined);
  return done;
}

/**
 * A multipart copy: CreateMultipartUpload with the copy's tags (or, given `request.uploadId`, ListParts of
 * that upload to skip the parts it has), UploadPartCopy per part of copyPartsOf while `hasTimeLeft`, then
 * CompleteMultipartUpload. Stopped by `hasTimeLeft`, the upload stays open (`incomplete`) to be resumed or
 * aborted. Every SDK error leaves through `classify`.
 */
export async function copyInParts(
  client: S3Client,
  request: CopyRequest,
  limits: CopyLimits,
  classify: (error: unknown) => ObjectStoreError,
): Promise<CopyOutcome> {
  const { source, target } = request;
  const parts = copyPartsOf(source.bytes, limits);
  try {
    let uploadId = request.uploadId;
    let done = new Map<number, string>();
    if (uploadId === undefined) {
      const created = await client.send(
        new CreateMultipartUploadCommand({
          Bucket: target.bucket,
          Key: target.key,
          Tagging: taggingHeader(request.tags),
        }),
      );
      uploadId = created.UploadId ?? '';
    } else {
      done = await partsAlreadyCopied(client, target, uploadId);
    }
    const UploadId = uploadId;
    const copied = await copyRemainingParts(
      parts,
      done,
      async (part) => {
        const output = await client.send(
          new UploadPartCopyCommand({
            Bucket: target.bucket,
            Key: target.key,
            UploadId,
            PartNumber: part.partNumber,
            CopySource: copySource(source),
            CopySourceRange: `bytes=${part.first}-${part.last}`,
          }),
        );
        return output.CopyPartResult?.ETag ?? '';
      },
      request.hasTimeLeft,
    );
    if (!copied.complete) {
      return {
        status: 'incomplete',
        uploadId: UploadId,
        partsCopied: copied.etags.size,
        parts: parts.length,
      };
    }
    const Parts = [...copied.etags.entries()]
      .sort(([a], [b]) => a - b)
      .map(([PartNumber, ETag]) => ({ PartNumber, ETag }));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId,
        MultipartUpload: { Parts },
      }),
    );
    return { status: 'copied', parts: parts.length };
  } catch (error) {
    throw classify(error);
  }
}
