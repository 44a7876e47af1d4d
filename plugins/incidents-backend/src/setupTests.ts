import dns from 'node:dns';
import http from 'node:http';
import { TEST_CLIENT_ADDRESS } from './__testUtils__/clientAddress';

// The OpenAPI test proxy (wrapServer) resolves `localhost` for IPv6 only.
// Some machines (sandboxes, minimal containers) list localhost only as
// 127.0.0.1 in /etc/hosts, so that lookup fails with ENOTFOUND. Answer it
// with the IPv4 loopback there; everywhere else the real answer stands.
const originalLookup = dns.lookup;
(dns as any).lookup = (hostname: string, options: any, callback?: any) => {
  if (typeof options === 'function') {
    return originalLookup(hostname, options);
  }
  return (originalLookup as any)(
    hostname,
    options,
    (err: any, ...rest: any[]) => {
      if (
        err?.code === 'ENOTFOUND' &&
        hostname === 'localhost' &&
        options?.family === 6
      ) {
        return options.all
          ? callback(null, [{ address: '127.0.0.1', family: 4 }])
          : callback(null, '127.0.0.1', 4);
      }
      return callback(err, ...rest);
    },
  );
};

// The same proxy takes any request whose client address and port equal the
// local address and port of one of its own forwarding connections for a
// loop ("Passthrough loop detected", answered 500). Client and forwarding
// connections both leave from 127.0.0.1, and Linux gives two connections to
// different destinations the same ephemeral port freely, so under load
// (many connections: a full backend run, 20 concurrent senders) an ordinary
// test request was now and then refused as a loop: the intermittent alerts
// failure. supertest's requests leave from 127.0.0.2 instead (all of
// 127.0.0.0/8 is loopback on Linux), which no forwarding connection uses.
if (process.platform === 'linux') {
  // eslint-disable-next-line @backstage/no-undeclared-imports
  const { Test } = require('supertest');
  const clientAgent = new http.Agent({ localAddress: TEST_CLIENT_ADDRESS });
  const serverAddress = Test.prototype.serverAddress;
  Test.prototype.serverAddress = function withClientAddress(
    this: { agent(agent: http.Agent): unknown },
    ...args: unknown[]
  ) {
    this.agent(clientAgent);
    return serverAddress.apply(this, args);
  };
}
