import * as z from 'zod';
import { MAX_SNAPSHOT_NAME_LENGTH, SNAPSHOT_NAME_PATTERN } from '#lib/naming/snapshot-name';
import { isValidTimeZone } from '#lib/schedule/time-zone';
import { mustBe } from './attribute-checks';
import { AWS_REGION_PATTERN } from './check-export';

/** docs/architecture.md, policy record: `policyId` is the key of the policies table. */
export const POLICY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const DEFAULT_TIMEZONE = 'UTC';
export const DEFAULT_START_WINDOW_MINUTES = 60;
export const MAX_START_WINDOW_MINUTES = 1440;
export const MAX_KMS_KEY_ID_LENGTH = 2048;

const text = () => z.string(mustBe('a string'));

/** zod schemas of the scalar operator attributes, each with messages that name the rule it checks. */
export const attributeSchemas = {
  policyId: text().regex(POLICY_ID_PATTERN, {
    error: 'must be 1-63 lowercase letters, digits or hyphens, starting with a letter or digit',
  }),
  cacheName: text()
    .max(MAX_SNAPSHOT_NAME_LENGTH, {
      error: `must be at most ${MAX_SNAPSHOT_NAME_LENGTH} characters`,
      abort: true,
    })
    .regex(SNAPSHOT_NAME_PATTERN, {
      error:
        'must be a serverless cache name: lowercase letters, digits and single hyphens, starting with a letter',
    }),
  timezone: text()
    .max(64, { error: 'must be at most 64 characters', abort: true })
    .refine(isValidTimeZone, { error: "must be an IANA time zone such as 'Europe/Berlin' or 'UTC'" }),
  enabled: z.boolean(mustBe('true or false')),
  copyCacheTags: z.boolean(mustBe('true or false')),
  namePrefix: text(),
  kmsKeyId: text()
    .min(1, { error: 'must not be empty' })
    .max(MAX_KMS_KEY_ID_LENGTH, { error: `must be at most ${MAX_KMS_KEY_ID_LENGTH} characters` }),
  /** An AWS account id: exactly 12 digits (a string, so that leading zeros stay). */
  account: text().regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id such as '123456789012'" }),
  region: text().regex(AWS_REGION_PATTERN, { error: "must be an AWS Region code such as 'eu-west-1'" }),
  startWindowMinutes: z
    .number(mustBe('a number'))
    .int({ error: 'must be a whole number of minutes' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_START_WINDOW_MINUTES, { error: `must be at most ${MAX_START_WINDOW_MINUTES} (a day)` }),
} as const;
