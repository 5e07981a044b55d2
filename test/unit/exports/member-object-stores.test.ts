import { describe, expect, it } from 'vitest';
import { InMemoryObjectStore } from '#lib/adapters/memory/object-store';
import { memberObjectStores } from '#lib/exports/member-object-stores';
import { FakePlacements, HOME } from '#test/support/fake-placements';
import { FakeSnapshotGateway } from '#test/support/fake-snapshot-gateway';

const MEMBER = '222222222222';

function arrange() {
  const placements = new FakePlacements(new FakeSnapshotGateway());
  const own = new InMemoryObjectStore();
  const member = new InMemoryObjectStore();
  const built: string[] = [];
  const objectsIn = memberObjectStores(placements, own, async (credentials) => {
    // As an SDK client does before its first request.
    built.push((await credentials()).accessKeyId);
    return member;
  });
  own.createBucket('own-exports', 'us-east-1');
  member.createBucket('member-exports', 'eu-west-1');
  return { placements, own, member, built, objectsIn };
}

describe('S3 per account for exports', () => {
  it('uses the own store in the own account, named or not', async () => {
    const { objectsIn, own, built } = arrange();

    await objectsIn({}).locateBucket('own-exports', 'us-east-1');
    await objectsIn({ account: HOME.account, region: 'eu-west-1' }).locateBucket('own-exports', 'us-east-1');

    expect(own.calls).toHaveLength(2);
    expect(built).toEqual([]);
  });

  it('builds one store per member account, on its member role’s credentials', async () => {
    const { objectsIn, member, own, built } = arrange();

    const found = await objectsIn({ account: MEMBER, region: 'eu-west-1' }).locateBucket(
      'member-exports',
      'eu-west-1',
    );
    await objectsIn({ account: MEMBER, region: 'us-east-1' }).locateBucket('member-exports', 'eu-west-1');

    expect(found).toEqual({ status: 'found', region: 'eu-west-1' });
    expect(built).toEqual(['ASIA']);
    expect(member.calls).toHaveLength(2);
    expect(own.calls).toEqual([]);
  });

  it('fails a member account’s calls with AssumeRoleFailed when its role cannot be assumed', async () => {
    const { objectsIn, placements, own } = arrange();
    placements.deny(MEMBER);

    await expect(
      objectsIn({ account: MEMBER }).locateBucket('member-exports', 'eu-west-1'),
    ).rejects.toMatchObject({
      code: 'AssumeRoleFailed',
    });
    expect(own.calls).toEqual([]);
  });
});
