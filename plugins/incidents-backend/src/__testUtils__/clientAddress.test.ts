import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import express from 'express';
import { createServer } from 'node:http';
import request from 'supertest';
import { TEST_CLIENT_ADDRESS } from './clientAddress';

const plain = (address: string) => address.replace(/^::ffff:/, '');

/*
 * The OpenAPI test proxy refuses, as a loop, a request whose client address
 * and port equal those of one of its own forwarding connections. Test
 * requests leave from another loopback address than its forwards, so no
 * ephemeral port shared by chance can make one look like a loop (see
 * setupTests.ts).
 */
describe('test requests', () => {
  it('leave from an address the test proxy never forwards from', async () => {
    // Only Linux has all of 127.0.0.0/8 on loopback (see setupTests.ts).
    if (process.platform !== 'linux') return;
    const seen: string[] = [];
    const direct = createServer((req, res) => {
      seen.push(plain(req.socket.remoteAddress!));
      res.end('ok');
    });
    await new Promise<void>(resolve => direct.listen(0, resolve));
    try {
      await request(direct).get('/').expect(200);
    } finally {
      direct.close();
    }

    const behindProxy = await wrapServer(
      express()
        .get('/openapi.json', (_req, res) =>
          res.json({
            openapi: '3.0.3',
            info: { title: 'test', version: '1' },
            paths: {
              '/x': { get: { responses: { '204': { description: 'ok' } } } },
            },
          }),
        )
        .get('/x', (req, res) => {
          seen.push(plain(req.socket.remoteAddress!));
          res.status(204).end();
        }),
    );
    await request(behindProxy).get('/x').expect(204);
    const [client, forward] = seen;
    expect(client).toBe(TEST_CLIENT_ADDRESS);
    expect(forward).toBe('127.0.0.1');
  });
});
