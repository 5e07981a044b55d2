/**
 * Reads an AWS Query request body (`Action=…&Version=…&Member=…`, form-encoded). Scalar members stay flat
 * strings; the tags list (`Tags.Tag.N.Key` / `Tags.Tag.N.Value`, N from 1) becomes a list in N order.
 */
import type { TagInput } from '#local/emulator/model/input-rules';
import type { CallParams } from '#local/emulator/types';

export interface QueryRequest {
  readonly action: string;
  readonly version: string | undefined;
  /** Every member but Action, Version and the tags. */
  readonly params: Readonly<Record<string, string>>;
  /** Undefined when the request carries no Tags member at all. */
  readonly tags: readonly TagInput[] | undefined;
}

const TAG_MEMBER = /^Tags\.Tag\.(\d+)\.(Key|Value)$/;

export function parseQueryRequest(body: string): QueryRequest {
  const form = new URLSearchParams(body);
  const params: Record<string, string> = {};
  const tagsByIndex = new Map<number, { key?: string; value?: string }>();
  let hasTags = false;
  for (const [name, value] of form) {
    const tag = TAG_MEMBER.exec(name);
    if (tag) {
      const index = Number(tag[1]);
      const entry = tagsByIndex.get(index) ?? {};
      if (tag[2] === 'Key') entry.key = value;
      else entry.value = value;
      tagsByIndex.set(index, entry);
      hasTags = true;
    } else if (name === 'Tags') {
      hasTags = true;
    } else if (name !== 'Action' && name !== 'Version') {
      params[name] = value;
    }
  }
  const tags = [...tagsByIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, entry]) => ({ key: entry.key, value: entry.value }));
  return {
    action: form.get('Action') ?? '',
    version: form.get('Version') ?? undefined,
    params,
    tags: hasTags ? tags : undefined,
  };
}

/**
 * A list member (`<name>.<member>.N`, N from 1) in N order; `[]` for an empty list (`<name>=`), undefined
 * when the request does not carry the list at all.
 */
export function listMember(
  params: Readonly<Record<string, string>>,
  name: string,
  member: string,
): string[] | undefined {
  const prefix = `${name}.${member}.`;
  const items: [number, string][] = [];
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(prefix)) continue;
    const index = Number(key.slice(prefix.length));
    if (Number.isInteger(index) && index > 0) items.push([index, value]);
  }
  if (items.length === 0) return name in params ? [] : undefined;
  return items.sort(([a], [b]) => a - b).map(([, value]) => value);
}

/** The members as the call log keeps them: flat strings, and the tags as one record under `Tags`. */
export function toCallParams(request: QueryRequest): CallParams {
  if (request.tags === undefined) return request.params;
  const tags: Record<string, string> = {};
  for (const { key, value } of request.tags) tags[key ?? ''] = value ?? '';
  return { ...request.params, Tags: tags };
}
