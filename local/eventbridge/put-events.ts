/**
 * PutEvents as EventBridge judges a request: the 1–10 entries rule and the 256 KB total (the whole request
 * refused), then each entry on its own (a missing Source, DetailType or Detail, a Detail that is not a JSON
 * object, a DetailType over 128 characters: that entry fails with its ErrorCode, the others go through).
 */

/** A refusal of the whole request: JSON 1.1 `__type` and HTTP status. */
export interface JsonFault {
  readonly type: string;
  readonly httpStatus: number;
  readonly message: string;
}

/** An entry that passed: what the bus receives. */
export interface AcceptedEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detailText: string;
  readonly detail: Record<string, unknown>;
  readonly resources: readonly string[];
  readonly eventBusName: string;
  readonly time: Date | undefined;
}

/** One entry's verdict, in request order. */
export type EntryVerdict =
  | { readonly ok: true; readonly entry: AcceptedEntry }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

export function validationException(message: string): JsonFault {
  return { type: 'ValidationException', httpStatus: 400, message };
}

function stringMember(entry: Record<string, unknown>, name: string): string | undefined {
  const value = entry[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Entry size as EventBridge documents it: 14 bytes for Time when present, plus the UTF-8 bytes of the rest. */
function entrySize(entry: Record<string, unknown>): number {
  let size = entry.Time === undefined ? 0 : 14;
  for (const name of ['Source', 'DetailType', 'Detail']) {
    const value = entry[name];
    if (typeof value === 'string') size += Buffer.byteLength(value);
  }
  for (const resource of Array.isArray(entry.Resources) ? entry.Resources : []) {
    if (typeof resource === 'string') size += Buffer.byteLength(resource);
  }
  return size;
}

function timeOf(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  return undefined;
}

function judgeEntry(entry: Record<string, unknown>): EntryVerdict {
  const source = stringMember(entry, 'Source');
  const detailType = stringMember(entry, 'DetailType');
  const detailText = stringMember(entry, 'Detail');
  if (source === undefined || detailType === undefined || detailText === undefined) {
    const missing = ['Source', 'DetailType', 'Detail'].filter(
      (name) => stringMember(entry, name) === undefined,
    );
    return {
      ok: false,
      errorCode: 'InvalidArgument',
      errorMessage: `Parameter(s) ${missing.join(', ')} could not be found.`,
    };
  }
  if (detailType.length > 128) {
    return {
      ok: false,
      errorCode: 'InvalidArgument',
      errorMessage: 'Parameter DetailType is not valid. Reason: DetailType is longer than 128 characters.',
    };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return { ok: false, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  }
  const bus = stringMember(entry, 'EventBusName') ?? 'default';
  return {
    ok: true,
    entry: {
      source,
      detailType,
      detailText,
      detail: detail as Record<string, unknown>,
      resources: Array.isArray(entry.Resources)
        ? entry.Resources.filter((item): item is string => typeof item === 'string')
        : [],
      eventBusName: bus.includes(':event-bus/')
        ? bus.slice(bus.indexOf(':event-bus/') + ':event-bus/'.length)
        : bus,
      time: timeOf(entry.Time),
    },
  };
}

/** The verdict on each entry, or the fault refusing the whole request. */
export function judgePutEvents(body: string): EntryVerdict[] | JsonFault {
  let request: unknown;
  try {
    request = JSON.parse(body === '' ? '{}' : body);
  } catch {
    return {
      type: 'SerializationException',
      httpStatus: 400,
      message: 'Start of structure or map found where not expected.',
    };
  }
  const entries = (request as { Entries?: unknown }).Entries;
  if (!Array.isArray(entries)) {
    return validationException(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    return validationException(
      `1 validation error detected: Value '[${entries.length} entries]' at 'entries' failed to satisfy constraint: Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
    );
  }
  const records = entries.map((entry) =>
    entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {},
  );
  if (records.reduce((total, entry) => total + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
    return validationException('Total size of the entries in the request is over the limit.');
  }
  const verdicts = records.map(judgeEntry);
  if (verdicts.every((verdict) => !verdict.ok && verdict.errorCode === 'InvalidArgument')) {
    return validationException('Parameter(s) Source, DetailType, Detail could not be found in any entry.');
  }
  return verdicts;
}
