import { describe, expect, it } from 'vitest';
import { parsePolicy } from '#lib/policy/parse-policy';
import { issuesOf, policyItem } from '#test/support/policy-builders';

describe('account and region policy attributes', () => {
  it('leaves both undefined when the policy names neither: the orchestrator’s own placement', () => {
    const policy = parsePolicy(policyItem('orders-hourly'));

    expect([policy.account, policy.region]).toEqual([undefined, undefined]);
  });

  it('keeps a 12-digit account with leading zeros and a region code as written', () => {
    const policy = parsePolicy(policyItem('orders-hourly', { account: '000123456789', region: 'eu-west-1' }));

    expect([policy.account, policy.region]).toEqual(['000123456789', 'eu-west-1']);
  });

  it('accepts region codes of other partitions', () => {
    for (const region of ['cn-north-1', 'us-gov-west-1', 'ap-southeast-5']) {
      expect(parsePolicy(policyItem('p', { region })).region).toBe(region);
    }
  });

  it('refuses an account that is not exactly 12 digits, naming the attribute and the rule', () => {
    for (const account of ['12345678901', '1234567890123', '12345678901a', ' 123456789012']) {
      expect(issuesOf(policyItem('p', { account }))).toEqual([
        { attribute: 'account', message: "must be a 12-digit AWS account id such as '123456789012'" },
      ]);
    }
  });

  it('refuses an account written as a number, which would lose leading zeros', () => {
    expect(issuesOf(policyItem('p', { account: 123456789012 }))).toEqual([
      { attribute: 'account', message: expect.stringMatching(/^must be a string/) },
    ]);
  });

  it('refuses a region that is not a region code, naming the attribute and the rule', () => {
    for (const region of ['eu-west', 'EU-WEST-1', 'europe', 'eu-west-1a']) {
      expect(issuesOf(policyItem('p', { region }))).toEqual([
        { attribute: 'region', message: "must be an AWS Region code such as 'eu-west-1'" },
      ]);
    }
  });
});
