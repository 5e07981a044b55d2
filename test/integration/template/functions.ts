/** The functions of serverless.yml as they appear in the template, and the facts tests share about them. */

export interface FunctionFacts {
  /** The function's key in serverless.yml, also its package name (`<name>.zip`). */
  readonly name: string;
  readonly functionId: string;
  readonly roleId: string;
  readonly logGroupId: string;
  /** The handler's module path, as in serverless.yml and inside the package. */
  readonly module: string;
}

export const FUNCTIONS: readonly FunctionFacts[] = [
  {
    name: 'scheduler',
    functionId: 'SchedulerLambdaFunction',
    roleId: 'SchedulerRole',
    logGroupId: 'SchedulerLogGroup',
    module: 'functions/scheduler',
  },
  {
    name: 'policySync',
    functionId: 'PolicySyncLambdaFunction',
    roleId: 'PolicySyncRole',
    logGroupId: 'PolicySyncLogGroup',
    module: 'functions/policy-sync',
  },
  {
    name: 'reconcile',
    functionId: 'ReconcileLambdaFunction',
    roleId: 'ReconcileRole',
    logGroupId: 'ReconcileLogGroup',
    module: 'functions/reconcile',
  },
];

export function functionFacts(name: string): FunctionFacts {
  const facts = FUNCTIONS.find((candidate) => candidate.name === name);
  if (!facts) throw new Error(`no function ${name}`);
  return facts;
}
