import { useCallback } from 'react';
import { alertApiRef, useApi, useApiHolder } from '@backstage/core-plugin-api';
import {
  toastApiRef,
  ToastApiPostResult,
} from '@backstage/frontend-plugin-api';

/** The Vigil toast on screen, closed when the next one comes. */
let shown: ToastApiPostResult | undefined;

const STATUS = {
  success: 'success',
  info: 'info',
  warning: 'warning',
  error: 'danger',
} as const;

/** How long a transient toast stays, as Backstage's alerts. */
const TRANSIENT_MS = 5_000;

/**
 * Shows one toast at a time: a new one replaces Vigil's previous toast
 * instead of stacking under it (a storm's signals, a burst of failed
 * actions). Uses the new frontend system's toast API; in a legacy app,
 * whose alert display already shows one alert at a time, the alert API.
 * @internal
 */
export function useNotify() {
  const apis = useApiHolder();
  const alertApi = useApi(alertApiRef);
  return useCallback(
    (
      message: string,
      severity: keyof typeof STATUS,
      options: { transient?: boolean } = {},
    ) => {
      const toastApi = apis.get(toastApiRef);
      if (!toastApi) {
        alertApi.post(
          options.transient
            ? { message, severity, display: 'transient' }
            : { message, severity },
        );
        return;
      }
      shown?.close();
      shown = toastApi.post({
        title: message,
        status: STATUS[severity],
        timeout: options.transient ? TRANSIENT_MS : undefined,
      });
    },
    [apis, alertApi],
  );
}
