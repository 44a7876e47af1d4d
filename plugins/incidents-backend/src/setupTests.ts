import dns from 'node:dns';

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
