import { useEffect, useRef } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  IncidentSignal,
  INCIDENTS_SIGNAL_CHANNEL,
} from '@vigil/plugin-incidents-common';
import { describeSignal } from '../utils/lifecycle';

function isIncidentSignal(message: unknown): message is IncidentSignal {
  const m = message as Partial<IncidentSignal> | null;
  return (
    typeof m?.type === 'string' &&
    typeof m.incidentId === 'string' &&
    typeof m.ref === 'string'
  );
}

/**
 * Calls back for every incident change the backend broadcasts, and with
 * `notify` toasts new incidents and lifecycle moves. Views use it to refresh
 * without a reload.
 * @public
 */
export function useIncidentSignals(
  onSignal: (signal: IncidentSignal) => void,
  options: { notify?: boolean } = {},
): { isSignalsAvailable: boolean } {
  const { notify = false } = options;
  const alertApi = useApi(alertApiRef);
  const { lastSignal, isSignalsAvailable } = useSignal(
    INCIDENTS_SIGNAL_CHANNEL,
  );
  // Kept in a ref so an inline callback doesn't replay the last signal on
  // every render.
  const callback = useRef(onSignal);
  callback.current = onSignal;

  useEffect(() => {
    if (!isIncidentSignal(lastSignal)) {
      return;
    }
    callback.current(lastSignal);
    const message = notify ? describeSignal(lastSignal) : undefined;
    if (message) {
      alertApi.post({ message, severity: 'info', display: 'transient' });
    }
  }, [lastSignal, notify, alertApi]);

  return { isSignalsAvailable };
}
