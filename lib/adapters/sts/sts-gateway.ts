import {
  AssumeRoleCommand,
  type Credentials,
  GetCallerIdentityCommand,
  STSClient,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import { AssumeRoleError } from '#lib/errors';
import type { TemporaryCredentials } from '#lib/placements/credential-cache';
import type { HomePlacement, MemberRoleRequest } from '#lib/placements/placement';
import { classifyStsError, toAssumeRoleError } from './classify-error';

export { classifyStsError, toAssumeRoleError } from './classify-error';

/**
 * The one place the STS client is built. No endpoint is set, so only the SDK's standard
 * `AWS_ENDPOINT_URL_STS` decides between AWS and the local STS; no region is set, so it is the
 * orchestrator's own (`AWS_REGION`) and the client calls that region's STS endpoint. `config`: the runtime's
 * client overrides, and tests.
 */
export function createStsClient(config: STSClientConfig = {}): STSClient {
  return new STSClient(config);
}

/** The two STS calls the orchestrator makes; every failure leaves translated (classify-error.ts). */
export class StsGateway {
  constructor(private readonly client: STSClient) {}

  /**
   * The orchestrator's own account, partition and region: GetCallerIdentity (which needs no permission,
   * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html) and the client's region.
   */
  async callerIdentity(): Promise<HomePlacement> {
    try {
      const [identity, region] = await Promise.all([
        this.client.send(new GetCallerIdentityCommand({})),
        this.client.config.region(),
      ]);
      const partition = identity.Arn?.split(':')[1];
      if (!identity.Account || !partition) throw new Error(`GetCallerIdentity answered ${identity.Arn}`);
      return { account: identity.Account, partition, region };
    } catch (error) {
      throw classifyStsError(error);
    }
  }

  /** Temporary credentials of `request.roleArn` for the default session duration (1 hour). */
  async assumeRole(request: MemberRoleRequest): Promise<TemporaryCredentials> {
    const command = new AssumeRoleCommand({
      RoleArn: request.roleArn,
      RoleSessionName: request.sessionName,
      ExternalId: request.externalId,
    });
    let credentials: Credentials | undefined;
    try {
      credentials = (await this.client.send(command)).Credentials;
    } catch (error) {
      throw toAssumeRoleError(error, request.roleArn);
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey || !SessionToken || !Expiration) {
      const message = `could not assume ${request.roleArn}: STS answered without complete credentials`;
      throw new AssumeRoleError(request.roleArn, 'IncompleteCredentials', 'transient', message);
    }
    return {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      sessionToken: SessionToken,
      expiration: Expiration,
    };
  }
}
