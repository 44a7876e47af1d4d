import { useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Incident } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../api';

/** What a list of alerts shows of the incident each belongs to. */
export type IncidentLabel = Pick<
  Incident,
  'id' | 'ref' | 'title' | 'status' | 'childCount' | 'openedBy'
>;

/**
 * The references and titles of incidents known only by id (alerts carry
 * ids), each looked up once; ids not (yet) resolved are missing. A failed
 * look-up is tried again when `retryKey` changes (e.g. the list reloaded).
 */
export function useIncidentRefs(
  ids: Array<string | undefined>,
  retryKey?: unknown,
): Record<string, IncidentLabel> {
  const api = useApi(incidentsApiRef);
  const [known, setKnown] = useState<Record<string, IncidentLabel | null>>({});
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
    .sort()
    .join(',');

  useEffect(() => {
    const missing = wanted
      ? wanted.split(',').filter(id => !(id in known))
      : [];
    if (!missing.length) {
      return undefined;
    }
    // Marked as asked at once, so a re-render does not ask again.
    setKnown(previous => ({
      ...previous,
      ...Object.fromEntries(missing.map(id => [id, null])),
    }));
    Promise.all(
      missing.map(id =>
        api.getIncident(id).then(
          ({ ref, title, status, childCount, openedBy }): IncidentLabel => ({
            id,
            ref,
            title,
            status,
            childCount,
            openedBy,
          }),
          () => id,
        ),
      ),
    ).then(labels =>
      // Kept even when the ids change meanwhile: they were marked as asked.
      setKnown(previous => {
        const next = { ...previous };
        for (const label of labels) {
          if (typeof label === 'string') {
            // failed: forget it was asked, so the next retryKey asks again
            delete next[label];
          } else {
            next[label.id] = label;
          }
        }
        return next;
      }),
    );
    return undefined;
    // `known` is read only to skip ids already asked for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, wanted, retryKey]);

  return useMemo(
    () =>
      Object.fromEntries(
        Object.entries(known).filter(
          (entry): entry is [string, IncidentLabel] => entry[1] !== null,
        ),
      ),
    [known],
  );
}
