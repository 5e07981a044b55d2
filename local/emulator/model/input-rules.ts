/** Input checks the service makes before it looks at any state: names, tags, page sizes, page tokens. */
import { faults } from './service-fault';

const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 255;
const MAX_CACHE_NAME_LENGTH = 40;
const MAX_TAGS = 50;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

/** The page size of every Describe call here: the default and the maximum are both 50. */
export const MAX_PAGE_SIZE = 50;

/** A tag as it arrived (`Tags.Tag.N.Key` / `.Value`); the key may be missing in a malformed request. */
export interface TagInput {
  readonly key: string | undefined;
  readonly value: string | undefined;
}

export function requireParameter(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw faults.missingParameter(name);
  return value;
}

/** Snapshot names: 1–255 characters, lowercase letters, digits and single hyphens, starting with a letter. */
export function checkSnapshotName(member: string, name: string): void {
  if (name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    throw faults.invalidParameterValue(
      `Invalid ${member}: ${name}. It must be 1-255 characters of lowercase letters, digits and single hyphens, start with a letter and not end with a hyphen.`,
    );
  }
}

/**
 * Serverless cache names: as snapshot names, but at most 40 characters (the service stores them lowercase).
 * The API reference (CreateServerlessCache) states no length for ServerlessCacheName; 40 is the limit that
 * libraries validating ahead of the service use (CDK's ServerlessCache construct: "must be between 1 and
 * 40 characters"), kept here so a longer name fails locally as it would on AWS.
 */
export function checkCacheName(name: string): void {
  if (name.length > MAX_CACHE_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    throw faults.invalidParameterValue(
      `Invalid ServerlessCacheName: ${name}. It must be 1-40 characters of lowercase letters, digits and single hyphens, start with a letter and not end with a hyphen.`,
    );
  }
}

/** At most 50 tags; keys 1–128 characters and not `aws:`-prefixed; values at most 256 characters. */
export function checkTags(tags: readonly TagInput[]): Record<string, string> {
  if (tags.length > MAX_TAGS) throw faults.tagQuota();
  const record: Record<string, string> = {};
  for (const { key, value = '' } of tags) {
    if (key === undefined || key.length === 0 || key.length > MAX_TAG_KEY_LENGTH) {
      throw faults.invalidParameterValue('Tag keys must be 1-128 characters long.');
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw faults.invalidParameterValue(`Tag keys starting with aws: are reserved for AWS use: ${key}`);
    }
    if (value.length > MAX_TAG_VALUE_LENGTH) {
      throw faults.invalidParameterValue(`Tag values must be at most 256 characters long (key ${key}).`);
    }
    record[key] = value;
  }
  return record;
}

/** MaxResults: absent means 50; anything but an integer from 1 to 50 is refused. */
export function parseMaxResults(value: string | undefined): number {
  if (value === undefined) return MAX_PAGE_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw faults.invalidParameterValue(
      `MaxResults must be an integer between 1 and ${MAX_PAGE_SIZE}: ${value}`,
    );
  }
  return size;
}
