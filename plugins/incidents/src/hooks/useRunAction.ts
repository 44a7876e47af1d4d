import { useCallback, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { describeError } from '../utils/errors';

/**
 * Runs a change against the backend and reports a failure (403, 409, …) as an
 * error alert, so every form and button fails the same, visible way.
 */
export function useRunAction() {
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const run = useCallback(
    async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      try {
        await action();
        return true;
      } catch (error) {
        alertApi.post({
          message: `Could not ${what}: ${describeError(error)}`,
          severity: 'error',
        });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [alertApi],
  );

  return { run, busy };
}
