import {
  DescribeServerlessCachesCommand,
  type ElastiCacheClient,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-elasticache';
import { runBounded } from '#lib/concurrency';

/** DescribeServerlessCaches' page size: what the orchestrator's gateway asks for (MaxResults). */
export const DESCRIBE_PAGE_SIZE = 50;

/**
 * The baseline of the discovery row: the calls no discovery can avoid, with a plain SDK client (as the
 * orchestrator builds it, `cacheMiddleware`, but without its adapter or adaptive limit) from the same
 * process: DescribeServerlessCaches page by page, then ListTagsForResource per cache, `concurrency` at a
 * time. Returns the caches seen.
 */
export async function bareDiscovery(client: ElastiCacheClient, concurrency: number): Promise<number> {
  const arns: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeServerlessCachesCommand({ MaxResults: DESCRIBE_PAGE_SIZE, NextToken }),
    );
    for (const cache of page.ServerlessCaches ?? []) if (cache.ARN) arns.push(cache.ARN);
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  let tagged = 0;
  await runBounded(arns, concurrency, async (ResourceName) => {
    const output = await client.send(new ListTagsForResourceCommand({ ResourceName }));
    if (output.TagList) tagged += 1;
  });
  if (tagged !== arns.length)
    throw new Error(`${arns.length - tagged} tag listings came back without a list`);
  return arns.length;
}
