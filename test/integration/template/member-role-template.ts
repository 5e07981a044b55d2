/**
 * member-role.yml as CloudFormation would create it from given parameters: short-form intrinsics read as
 * their long form, parameters put in for `Ref` and for `${Name}` in `Fn::Sub` (pseudo-parameters such as
 * `${AWS::AccountId}` stay), `Fn::Split` and `Fn::Join` of literals worked out, then conditions and `Fn::If`
 * resolved by the template reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { intrinsicTags } from '#local/tables';
import { REPO_ROOT } from './service-copy';
import { type CfnTemplate, isRecord, renderTemplate } from './template-reader';

export const MEMBER_ROLE_YML = join(REPO_ROOT, 'member-role.yml');

export interface CfnParameter {
  readonly Type: string;
  readonly Default?: string;
  readonly MinLength?: number;
  readonly MaxLength?: number;
  readonly AllowedPattern?: string;
  readonly Description?: string;
}

export interface MemberRoleTemplate extends CfnTemplate {
  readonly Parameters: Record<string, CfnParameter>;
}

export function readMemberRoleTemplate(): MemberRoleTemplate {
  // Through JSON: the collections of tagged nodes (`!Not [...]`) stay YAML nodes until serialised.
  const document = parse(readFileSync(MEMBER_ROLE_YML, 'utf8'), { customTags: intrinsicTags });
  const parsed: unknown = JSON.parse(JSON.stringify(document));
  if (!isRecord(parsed) || !isRecord(parsed.Resources) || !isRecord(parsed.Parameters)) {
    throw new Error('member-role.yml is not a template with Parameters and Resources');
  }
  return parsed as unknown as MemberRoleTemplate;
}

/** A parameter's value as CloudFormation passes it: a CommaDelimitedList is a list. */
function parameterValue(parameter: CfnParameter, given: string | undefined, name: string): unknown {
  const value = given ?? parameter.Default;
  if (value === undefined) throw new Error(`parameter ${name} has no default and was not given`);
  return parameter.Type === 'CommaDelimitedList' ? value.split(',') : value;
}

function substitute(value: unknown, values: Map<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (!isRecord(value)) return value;
  if (typeof value.Ref === 'string' && values.has(value.Ref)) return values.get(value.Ref);
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') {
    return {
      'Fn::Sub': sub.replace(/\$\{(\w+)\}/g, (whole, name: string) => String(values.get(name) ?? whole)),
    };
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, values)]));
}

/**
 * `Fn::Split` and `Fn::Join` worked out wherever their arguments are literal once the parameters are in (how
 * member-role.yml turns ExportBuckets into ARNs), innermost first.
 */
function joinAndSplit(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(joinAndSplit);
  if (!isRecord(value)) return value;
  const resolved = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, joinAndSplit(item)]));
  const split = resolved['Fn::Split'];
  if (Array.isArray(split) && typeof split[0] === 'string' && typeof split[1] === 'string') {
    return split[1].split(split[0]);
  }
  const join = resolved['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts: unknown[] = join[1];
    if (parts.every((part) => typeof part === 'string')) return parts.join(join[0]);
  }
  return resolved;
}

/** The template with `parameters` (and defaults for the rest) put in, conditions resolved. */
export function instantiate(template: MemberRoleTemplate, parameters: Record<string, string>): CfnTemplate {
  for (const name of Object.keys(parameters)) {
    if (!(name in template.Parameters)) throw new Error(`member-role.yml has no parameter ${name}`);
  }
  const values = new Map(
    Object.entries(template.Parameters).map(([name, parameter]) => [
      name,
      parameterValue(parameter, parameters[name], name),
    ]),
  );
  return renderTemplate({
    ...template,
    Resources: joinAndSplit(substitute(template.Resources, values)) as CfnTemplate['Resources'],
    Conditions: substitute(template.Conditions, values) as CfnTemplate['Conditions'],
  });
}
