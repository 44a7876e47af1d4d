import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request a {@link ChatReceiver} got. */
export interface ReceivedPost {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * A real HTTP server on a random port standing in for Slack's and Teams'
 * incoming webhooks: keeps every post by path; `failNext(path, n)` answers
 * the next n posts to a path with a 500.
 */
export class ChatReceiver {
  readonly posts: ReceivedPost[] = [];
  private server?: Server;
  private failures = new Map<string, number>();
  url = '';

  async start() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', chunk => {
        raw += chunk;
      });
      req.on('end', () => {
        const path = req.url ?? '/';
        const failing = this.failures.get(path) ?? 0;
        if (failing > 0) {
          this.failures.set(path, failing - 1);
          res.statusCode = 500;
          res.end('receiver down');
          return;
        }
        this.posts.push({ path, headers: req.headers, body: JSON.parse(raw) });
        res.statusCode = 200;
        res.end('ok');
      });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.url = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
    return this;
  }

  failNext(path: string, times: number) {
    this.failures.set(path, times);
  }

  to(path: string) {
    return this.posts.filter(p => p.path === path).map(p => p.body);
  }

  clear() {
    this.posts.length = 0;
  }

  stop() {
    return new Promise<void>(resolve =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
