import '@testing-library/jest-dom';
import { cleanup } from '@testing-library/react';

// usePermission caches answers in SWR's global cache, which outlives a single
// test; without clearing it a test that denies a permission can see the
// previous test's "allow". Unmount first so nothing re-fetches into it.
afterEach(async () => {
  cleanup();
  const { mutate } = jest.requireActual('swr');
  await mutate(() => true, undefined, { revalidate: true });
});

// Pages built from Material UI and material-table render slowly on small CI
// machines; the default 5s leaves too little headroom.
jest.setTimeout(15_000);

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one. In
// tests charts keep a zero size (what they show is tested as data).
if (!('ResizeObserver' in globalThis)) {
  (globalThis as any).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
