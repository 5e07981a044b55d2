import { PolicyValidationError, shorten } from '#lib/errors';

/**
 * Throws the error of a bad schedule: a PolicyValidationError whose one issue names the `schedule`
 * attribute, so the policy parser can list it as is. (The error hierarchy lives in lib/errors.ts.)
 */
export function failSchedule(message: string): never {
  throw new PolicyValidationError([{ attribute: 'schedule', message }]);
}

/** Throws the error of an unknown time zone, naming the `timezone` attribute. */
export function failTimeZone(timeZone: string): never {
  throw new PolicyValidationError([
    { attribute: 'timezone', message: `'${shorten(timeZone)}' is not an IANA time zone` },
  ]);
}
