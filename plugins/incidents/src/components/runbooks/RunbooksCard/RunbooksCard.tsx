import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { IncidentDetail } from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../../api';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';
import { RunbookList } from './RunbookList';

/**
 * The war room's runbooks: those of every affected component and every
 * alert of the incident, and the automations that apply, each with Run.
 * Reloads when the incident changes (a new affected service, new alerts).
 */
export const RunbooksCard = (props: { incident: IncidentDetail }) => {
  const { id, updatedAt } = props.incident;
  const api = useApi(incidentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getIncidentRunbooks(id),
    [api, id, updatedAt],
  );
  return (
    <InfoCard title="Runbooks" noPadding={false}>
      {error && (
        <LoadError
          error={error}
          title="Could not load runbooks"
          onRetry={retry}
        />
      )}
      {loading && !value && !error && (
        <LoadingSkeleton variant="card" rows={3} label="Loading runbooks" />
      )}
      {value && <RunbookList value={value} />}
    </InfoCard>
  );
};
