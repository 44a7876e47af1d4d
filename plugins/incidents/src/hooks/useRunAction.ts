import { useCallback, useState } from 'react';
import { describeError } from '../utils/errors';
import { useNotify } from './useNotify';

/**
 * Runs a change against the backend and reports a failure (403, 409, …) as an
 * error alert, so every form and button fails the same, visible way.
 */
export function useRunAction() {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const run = useCallback(
    async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      try {
        await action();
        return true;
      } catch (error) {
        notify(`Could not ${what}: ${describeError(error)}`, 'error');
        return false;
      } finally {
        setBusy(false);
      }
    },
    [notify],
  );

  return { run, busy };
}
