/*
 * The load generator's side in the bench process: jobs for the HTTP worker
 * (bench/httpWorker.cjs) and their latency percentiles.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One request of a job. */
export type LoadRequest = { method: string; path: string; body?: unknown };

/** What a job measured. */
export interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  failures: string[];
  wallMs: number;
}

let worker: Worker | undefined;
let jobId = 0;

/** Sends `requests` from `concurrency` closed-loop clients in the worker. */
export function runLoad(
  baseUrl: string,
  headers: Record<string, string>,
  requests: LoadRequest[],
  concurrency: number,
): Promise<LoadResult> {
  worker ??= new Worker(join(__dirname, 'httpWorker.cjs'));
  const w = worker;
  const id = ++jobId;
  return new Promise((resolve, reject) => {
    const onMessage = (msg: any) => {
      if (msg.id !== id) return;
      w.off('message', onMessage);
      w.off('error', reject);
      resolve(msg);
    };
    w.on('message', onMessage);
    w.on('error', reject);
    w.postMessage({ id, baseUrl, headers, concurrency, requests });
  });
}

/** Ends the worker thread. */
export async function stopLoad() {
  await worker?.terminate();
  worker = undefined;
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}
