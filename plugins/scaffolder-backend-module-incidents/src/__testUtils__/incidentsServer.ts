import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the stand-in incidents backend received. */
export type ReceivedRequest = {
  method?: string;
  /** The path below the plugin's base URL, e.g. /incidents/INC-7/timeline. */
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
};

const BASE_PATH = '/api/incidents';

/**
 * A real HTTP server standing in for the incidents backend; `respond`
 * decides each answer. `url` is what discovery returns for `incidents`.
 */
export function startIncidentsServer(
  respond: (req: ReceivedRequest) => { status: number; body: unknown },
) {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', chunk => (data += chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method,
        path: (req.url ?? '').startsWith(BASE_PATH)
          ? (req.url ?? '').slice(BASE_PATH.length)
          : req.url ?? '',
        headers: req.headers,
        body: data ? JSON.parse(data) : undefined,
      };
      received.push(request);
      const answer = respond(request);
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  return new Promise<{
    url: string;
    received: ReceivedRequest[];
    close(): Promise<void>;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}${BASE_PATH}`,
        received,
        close: () =>
          new Promise<void>((done, fail) =>
            server.close(err => (err ? fail(err) : done())),
          ),
      });
    }),
  );
}
