/**
 * Reading the CloudFormation template `serverless package` writes: resources by type, conditions evaluated
 * (the template's conditions compare package-time parameter values, so they are decidable here), IAM
 * statements normalised, and resource references in a short symbolic form.
 */

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
}

export function parseTemplate(json: string): CfnTemplate {
  const parsed: unknown = JSON.parse(json);
  if (!isRecord(parsed) || !isRecord(parsed.Resources)) throw new Error('not a CloudFormation template');
  return parsed as unknown as CfnTemplate;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every resource of `type`, with its logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The resource `logicalId`, which must exist and be of `type`. */
export function resourceOf(template: CfnTemplate, logicalId: string, type: string): CfnResource {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== type) throw new Error(`no ${type} named ${logicalId} in the template`);
  return resource;
}

/** The properties of `logicalId` (of `type`), typed loosely for assertions. */
export function propertiesOf(
  template: CfnTemplate,
  logicalId: string,
  type: string,
): Record<string, unknown> {
  return resourceOf(template, logicalId, type).Properties ?? {};
}

function evaluateCondition(template: CfnTemplate, expression: unknown): boolean {
  if (!isRecord(expression)) throw new Error(`unsupported condition ${JSON.stringify(expression)}`);
  const [[fn, args] = []] = Object.entries(expression);
  const list = Array.isArray(args) ? args : [args];
  switch (fn) {
    case 'Condition':
      return evaluateCondition(template, template.Conditions?.[String(args)]);
    case 'Fn::Not':
      return !evaluateCondition(template, list[0]);
    case 'Fn::And':
      return list.every((item) => evaluateCondition(template, item));
    case 'Fn::Or':
      return list.some((item) => evaluateCondition(template, item));
    case 'Fn::Equals':
      if (list.some((item) => typeof item !== 'string')) throw new Error('Fn::Equals on non-literals');
      return list[0] === list[1];
    default:
      throw new Error(`unsupported condition function ${fn}`);
  }
}

/** The value of every named condition. */
export function conditionValues(template: CfnTemplate): Map<string, boolean> {
  return new Map(
    Object.entries(template.Conditions ?? {}).map(([name, expression]) => [
      name,
      evaluateCondition(template, expression),
    ]),
  );
}

const NO_VALUE = Symbol('AWS::NoValue');

function resolveBranches(value: unknown, conditions: Map<string, boolean>): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveBranches(item, conditions)).filter((item) => item !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  if (value.Ref === 'AWS::NoValue') return NO_VALUE;
  const branches = value['Fn::If'];
  if (Array.isArray(branches) && Object.keys(value).length === 1) {
    const [name, whenTrue, whenFalse] = branches;
    const holds = conditions.get(String(name));
    if (holds === undefined) throw new Error(`Fn::If on unknown condition ${String(name)}`);
    return resolveBranches(holds ? whenTrue : whenFalse, conditions);
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const next = resolveBranches(item, conditions);
    if (next !== NO_VALUE) resolved[key] = next;
  }
  return resolved;
}

/** The template as CloudFormation would create it: conditional resources dropped, Fn::If resolved. */
export function renderTemplate(template: CfnTemplate): CfnTemplate {
  const conditions = conditionValues(template);
  const resources: Record<string, CfnResource> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && !conditions.get(resource.Condition)) continue;
    resources[id] = resolveBranches(resource, conditions) as CfnResource;
  }
  return { ...template, Resources: resources };
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: unknown[];
  readonly NotAction?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function toStatement(raw: unknown): PolicyStatement {
  if (!isRecord(raw)) throw new Error(`not a policy statement: ${JSON.stringify(raw)}`);
  const asList = (value: unknown): unknown[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  return {
    ...(raw as object),
    Effect: String(raw.Effect),
    Action: asList(raw.Action).map(String),
    Resource: asList(raw.Resource),
  } as PolicyStatement;
}

function statementsOfDocument(document: unknown): PolicyStatement[] {
  if (!isRecord(document)) return [];
  const statements = document.Statement;
  return (Array.isArray(statements) ? statements : [statements]).map(toStatement);
}

/** The identity-policy statements of one role: its inline policies and any IAM policy resource attached to it. */
export function roleStatements(template: CfnTemplate, roleId: string): PolicyStatement[] {
  const role = propertiesOf(template, roleId, 'AWS::IAM::Role');
  const inline = (Array.isArray(role.Policies) ? role.Policies : []).flatMap((policy) =>
    statementsOfDocument(isRecord(policy) ? policy.PolicyDocument : undefined),
  );
  const attached = [
    ...resourcesOfType(template, 'AWS::IAM::Policy'),
    ...resourcesOfType(template, 'AWS::IAM::ManagedPolicy'),
  ]
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles ?? []).includes(`"${roleId}"`))
    .flatMap(([, policy]) => statementsOfDocument(policy.Properties?.PolicyDocument));
  return [...inline, ...attached];
}

/**
 * Actions that support no resource-level permission, so '*' is their only resource (Service Authorization
 * Reference, Amazon EC2): what restore tests' CreateServerlessCache needs to look at the cache's network. The
 * only actions any role here may have on '*'.
 */
export const RESOURCE_LESS_ACTIONS: ReadonlySet<string> = new Set([
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeTags',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcs',
]);

/** Every identity-policy statement in the template, with the resource that holds it. */
export function allStatements(template: CfnTemplate): { owner: string; statement: PolicyStatement }[] {
  return Object.entries(template.Resources).flatMap(([owner, resource]) => {
    const properties = resource.Properties ?? {};
    const documents =
      resource.Type === 'AWS::IAM::Role'
        ? (Array.isArray(properties.Policies) ? properties.Policies : []).map((policy) =>
            isRecord(policy) ? policy.PolicyDocument : undefined,
          )
        : resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
          ? [properties.PolicyDocument]
          : [];
    return documents.flatMap(statementsOfDocument).map((statement) => ({ owner, statement }));
  });
}

/**
 * A resource reference in short form: `Fn::GetAtt [T, Arn]` is `T`, `[T, StreamArn]` is `T/stream`,
 * `Fn::Sub '${T.Arn}/index/i'` is `T/index/i`, any other `Fn::Sub` string is that string, `Ref X` is `X`.
 */
export function referenceOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) throw new Error(`unsupported reference ${JSON.stringify(value)}`);
  const getAtt = value['Fn::GetAtt'];
  if (getAtt !== undefined) {
    const [id, attribute] = Array.isArray(getAtt) ? getAtt.map(String) : String(getAtt).split('.');
    if (attribute === 'Arn') return String(id);
    if (attribute === 'StreamArn') return `${id}/stream`;
    return `${id}.${attribute}`;
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub.replace(/^\$\{(\w+)\.Arn\}/, '$1');
  if (typeof value.Ref === 'string') return value.Ref;
  throw new Error(`unsupported reference ${JSON.stringify(value)}`);
}
