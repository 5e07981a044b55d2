/** Listening on 127.0.0.1, the way every local server here does: a free port, and a close that waits for nobody. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0 = any free port). */
export async function listenLocal(server: Server, port = 0): Promise<LocalEndpoint> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
