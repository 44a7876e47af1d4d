import { useEffect, useRef } from 'react';
import { ApiHolder, useApiHolder } from '@backstage/core-plugin-api';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  IncidentSignal,
  INCIDENTS_SIGNAL_CHANNEL,
} from '@vigil/plugin-incidents-common';
import { describeSignal } from '../utils/lifecycle';
import { isLinkableActor } from '../utils/refs';
import { useNotify } from './useNotify';

/** The actor's catalog display name, when the app can tell. */
async function actorName(apis: ApiHolder, actor: string): Promise<string> {
  const presentation = apis.get(entityPresentationApiRef);
  if (!presentation || !isLinkableActor(actor)) {
    return actor;
  }
  try {
    return (await presentation.forEntity(actor).promise).primaryTitle;
  } catch {
    return actor;
  }
}

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
  const toast = useNotify();
  const apis = useApiHolder();
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
    if (!notify || !describeSignal(lastSignal)) {
      return;
    }
    // "INC-9 acknowledged by Carol Nguyen", not by user:default/carol.
    actorName(apis, lastSignal.actor).then(actor => {
      const message = describeSignal({ ...lastSignal, actor });
      toast(message!, 'info', { transient: true });
    });
  }, [lastSignal, notify, toast, apis]);

  return { isSignalsAvailable };
}
