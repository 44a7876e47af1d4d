import { IncidentPage } from '@vigil/plugin-incidents-node';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  NotificationsPager,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  WebhookPager,
} from './pagers';

const page: IncidentPage = {
  pageId: 'page-1',
  incident: {
    id: 'i-1',
    ref: 'INC-7',
    title: 'Checkout failing',
    severity: 'sev1',
    url: 'http://localhost:3000/incidents/i-1',
  },
  recipient: 'user:default/carol',
  step: 2,
};

/** Verifies a delivery the way a receiver should. */
function verify(secret: string, req: IncomingMessage, body: string) {
  const timestamp = String(req.headers[TIMESTAMP_HEADER]);
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret)
      .update(`${timestamp}.${body}`)
      .digest('hex')}`,
  );
  const given = Buffer.from(String(req.headers[SIGNATURE_HEADER]));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('WebhookPager', () => {
  let server: Server;
  let url: string;
  let status = 200;
  const received: Array<{ valid: boolean; body: any }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({
          valid: verify('s3cret', req, body),
          body: JSON.parse(body),
        });
        res.statusCode = status;
        res.end(status === 200 ? 'ok' : 'receiver broke');
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));

  beforeEach(() => {
    received.length = 0;
    status = 200;
  });

  it('posts the page as JSON with a signature the receiver can verify', async () => {
    const pager = new WebhookPager({ id: 'chat', url, secret: 's3cret' });
    expect(pager.id).toBe('webhook:chat');
    await pager.send(page);
    expect(received).toEqual([
      { valid: true, body: { type: 'incident.page', ...page } },
    ]);
  });

  it('fails the attempt on a non-2xx answer, naming it', async () => {
    status = 503;
    const pager = new WebhookPager({ id: 'chat', url, secret: 's3cret' });
    await expect(pager.send(page)).rejects.toThrow(
      `${url} answered 503: receiver broke`,
    );
  });

  it('is signed with its own secret only', async () => {
    const pager = new WebhookPager({ id: 'chat', url, secret: 'other' });
    await pager.send(page);
    expect(received[0].valid).toBe(false);
  });

  it('takes only the severities it is configured for', () => {
    const pager = new WebhookPager({
      id: 'chat',
      url,
      secret: 's3cret',
      severities: ['sev1'],
    });
    expect(pager.accepts('sev1')).toBe(true);
    expect(pager.accepts('sev2')).toBe(false);
  });
});

describe('NotificationsPager', () => {
  it('notifies the paged user with a link to the incident, once per page', async () => {
    const notifications = { send: jest.fn().mockResolvedValue(undefined) };
    await new NotificationsPager(notifications).send(page);
    expect(notifications.send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: 'user:default/carol' },
      payload: expect.objectContaining({
        title: 'Paged: INC-7 Checkout failing',
        link: 'http://localhost:3000/incidents/i-1',
        severity: 'critical',
        scope: 'incident-page:page-1',
      }),
    });
  });
});
