import { describe, expect, it } from 'vitest';
import { resolveDeploymentName } from '#cli/resolve-tables';

describe('the deployment the CLI acts as', () => {
  it('is DEPLOYMENT_NAME when it is set', () => {
    const name = resolveDeploymentName({ stage: 'prod', stack: 'other' }, { DEPLOYMENT_NAME: 'local-one' });

    expect(name).toBe('local-one');
  });

  it('is the stack the tables come from otherwise: --stack, else the stage’s stack', () => {
    expect(resolveDeploymentName({ stage: 'prod', stack: 'snapshots-eu' }, {})).toBe('snapshots-eu');
    expect(resolveDeploymentName({ stage: 'qa' }, { DEPLOYMENT_NAME: ' ' })).toBe(
      'cache-snapshot-orchestrator-qa',
    );
  });
});
