// Test helper: a pass-through HTTP proxy to the schema registry that a test can take down and bring back, to
// see what the codec does when the registry becomes unreachable while a service runs.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryProxy {
  /** The registry's base URL through the proxy. */
  readonly url: string;
  down(): Promise<void>;
  up(): Promise<void>;
}

export async function registryProxy(target: string): Promise<RegistryProxy> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  // The proxy's URL keeps the target's path: the client appends /subjects, /schemas/ids/... to it.
  const url = `http://127.0.0.1:${port}${to.pathname.replace(/\/$/, '')}`;
  return {
    url,
    down: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
    up: () => new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok)),
  };
}
