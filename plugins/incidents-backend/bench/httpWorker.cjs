/*
 * The HTTP load generator of `yarn bench`, run in a worker thread so that
 * sending requests and reading responses does not compete with the server for
 * its event loop (the machine's second core does the client work).
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

parentPort.on('message', async job => {
  const { id, baseUrl, headers, concurrency, requests } = job;
  const latencies = new Array(requests.length);
  const statuses = {};
  const failures = [];
  let next = 0;

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
        const res = await fetch(baseUrl + path, {
          method,
          headers: body
            ? { ...headers, 'content-type': 'application/json' }
            : headers,
          body: body ? JSON.stringify(body) : undefined,
        });
        status = res.status;
        // The whole body is part of the latency, as for a real client.
        text = await res.text();
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
  parentPort.postMessage({ id, latencies, statuses, failures, wallMs });
});
