/*
 * The HTTP load generator of `yarn bench`, run in a worker thread so that
 * sending requests and reading responses does not compete with the server for
 * its event loop (the machine's second core does the client work). It uses
 * node:http with one kept-alive connection per client, like a sender on
 * another machine would; fetch (undici) costs several times the CPU per
 * request, which on a 2-core machine is taken from the server and the
 * database.
 *
 * Protocol: the parent posts
 *   { id, baseUrl, headers, concurrency, requests: [{ method, path, body? }] }
 * and gets back
 *   { id, latencies: number[] (ms, in request order), statuses: {code: n},
 *     failures: string[] (first few non-2xx answers), wallMs }
 */
'use strict';

const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const http = require('node:http');

/** One request; resolves with the status and the whole body. */
function send(agent, url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, res => {
      const chunks = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

parentPort.on('message', async job => {
  const { id, baseUrl, headers, concurrency, requests } = job;
  const latencies = new Array(requests.length);
  const statuses = {};
  const failures = [];
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

  async function client() {
    for (;;) {
      const index = next++;
      if (index >= requests.length) {
        return;
      }
      const { method, path, body } = requests[index];
      const started = performance.now();
      let status = 0;
      let text = '';
      try {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        // The whole body is part of the latency, as for a real client.
        const res = await send(
          agent,
          baseUrl + path,
          method,
          payload === undefined
            ? headers
            : {
                ...headers,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              },
          payload,
        );
        status = res.status;
        text = res.text;
      } catch (error) {
        text = String(error);
      }
      latencies[index] = performance.now() - started;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if ((status < 200 || status > 299) && failures.length < 5) {
        failures.push(`${method} ${path} -> ${status}: ${text.slice(0, 300)}`);
      }
    }
  }

  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const wallMs = performance.now() - started;
  agent.destroy();
  parentPort.postMessage({ id, latencies, statuses, failures, wallMs });
});
