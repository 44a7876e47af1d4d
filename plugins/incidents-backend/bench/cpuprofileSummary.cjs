/*
 * Summarises a V8 .cpuprofile (from BENCH_CPU_PROF): self time by function
 * and by package/file group, and total (inclusive) time of the heaviest
 * frames, so a change can be checked without opening DevTools.
 *
 *   node bench/cpuprofileSummary.cjs <file.cpuprofile> [top=25] [requests]
 */
'use strict';

const { readFileSync } = require('node:fs');

process.stdout.on('error', () => process.exit(0));

const [file, topArg, requestsArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write(
    'usage: node cpuprofileSummary.cjs <file.cpuprofile> [top] [requests]\n',
  );
  process.exit(2);
}
const top = Number(topArg ?? 25);
const requests = Number(requestsArg ?? 0);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) {
  for (const c of n.children ?? []) parent.set(c, n.id);
}
// Time per sample: the deltas, in microseconds.
const selfUs = new Map();
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});

const label = n => {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '~/');
  return `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
};
const group = n => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName || '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return url;
  return url.replace(/.*\/plugins\//, 'plugins/');
};

let total = 0;
const selfByFn = new Map();
const selfByGroup = new Map();
const inclusive = new Map();
for (const [id, us] of selfUs) {
  total += us;
  const n = byId.get(id);
  const key = label(n);
  selfByFn.set(key, (selfByFn.get(key) ?? 0) + us);
  const g = group(n);
  selfByGroup.set(g, (selfByGroup.get(g) ?? 0) + us);
  // Inclusive: every distinct frame label on the stack once.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const idle = [...selfByFn.entries()]
  .filter(([k]) => /^\((idle|program|garbage collector)\)/.test(k))
  .reduce((a, [, v]) => a + v, 0);

const fmt = us =>
  requests
    ? `${(us / 1000 / requests).toFixed(3).padStart(7)} ms/req`
    : `${(us / 1000).toFixed(1).padStart(8)} ms`;
const print = (title, map, n = top) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)) {
    process.stdout.write(
      `${fmt(us)} ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}\n`,
    );
  }
};
process.stdout.write(
  `${file}: ${(total / 1000).toFixed(
    0,
  )} ms sampled, of which idle/program/GC ${(idle / 1000).toFixed(0)} ms\n`,
);
print('Self time by group', selfByGroup);
print('Self time by function', selfByFn);
print('Inclusive time by frame', inclusive, top * 2);
