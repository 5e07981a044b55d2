import { runBounded } from '#lib/concurrency';

/**
 * The largest object one CopyObject copies: 5 GiB. Larger objects must be copied with a multipart upload whose
 * parts are UploadPartCopy calls (Amazon S3 User Guide, "Copying an object using multipart upload":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/CopyingObjctsMPUapi.html; S3 refuses a larger copy
 * source with "larger than the maximum allowable size for a copy source: 5368709120").
 */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;

/**
 * The size of each UploadPartCopy of a multipart copy: 512 MiB. S3 takes parts of 5 MiB to 5 GiB and at most
 * 10,000 per upload ("Amazon S3 multipart upload limits": https://docs.aws.amazon.com/AmazonS3/latest/userguide/
 * qfacts.html). Each part is one billed request that S3 copies server side: 512 MiB keeps the calls few (a
 * 50 GiB export: 100 parts) while one part still ends in seconds, so a tick can stop between parts at its
 * deadline and leave the copy to resume. Objects beyond 5 TiB / 10,000 get larger parts (copyPartsOf).
 */
export const COPY_PART_BYTES = 512 * 1024 ** 2;

/** S3's most parts per multipart upload. */
export const MAX_COPY_PARTS = 10_000;

/** Parts of one multipart copy copied at the same time. */
export const COPY_PART_CONCURRENCY = 4;

/** How copies are split; tests shrink both to exercise the multipart path with small objects. */
export interface CopyLimits {
  /** Objects up to this size are copied with one CopyObject. */
  readonly maxSingleCopyBytes: number;
  readonly partBytes: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = {
  maxSingleCopyBytes: MAX_SINGLE_COPY_BYTES,
  partBytes: COPY_PART_BYTES,
};

/** One part of a multipart copy: its number (from 1) and its byte range, both ends included. */
export interface CopyPart {
  readonly partNumber: number;
  readonly first: number;
  readonly last: number;
}

/**
 * The parts of a multipart copy of `bytes`: `limits.partBytes` each (the last one shorter), grown when
 * needed so that there are never more than 10,000.
 */
export function copyPartsOf(bytes: number, limits: CopyLimits = DEFAULT_COPY_LIMITS): CopyPart[] {
  const partBytes = Math.max(limits.partBytes, Math.ceil(bytes / MAX_COPY_PARTS));
  const count = Math.max(1, Math.ceil(bytes / partBytes));
  return Array.from({ length: count }, (_, index) => ({
    partNumber: index + 1,
    first: index * partBytes,
    last: Math.min(bytes, (index + 1) * partBytes) - 1,
  }));
}

/**
 * Copies the `parts` not yet in `done` (part number to ETag), COPY_PART_CONCURRENCY at a time, asking
 * `hasTimeLeft` before each. Returns every part's ETag so far and whether all are there. The first part
 * that fails stops the others from starting and is thrown once those in flight end: the upload stays open
 * with what was copied.
 */
export async function copyRemainingParts(
  parts: readonly CopyPart[],
  done: ReadonlyMap<number, string>,
  copyPart: (part: CopyPart) => Promise<string>,
  hasTimeLeft: () => boolean = () => true,
): Promise<{ complete: boolean; etags: Map<number, string> }> {
  const etags = new Map(done);
  let failure: { error: unknown } | undefined;
  const todo = parts.filter((part) => !etags.has(part.partNumber));
  await runBounded(
    todo,
    COPY_PART_CONCURRENCY,
    async (part) => {
      try {
        etags.set(part.partNumber, await copyPart(part));
      } catch (error) {
        failure ??= { error };
      }
    },
    () => failure === undefined && hasTimeLeft(),
  );
  if (failure) throw failure.error;
  return { complete: parts.every((part) => etags.has(part.partNumber)), etags };
}
