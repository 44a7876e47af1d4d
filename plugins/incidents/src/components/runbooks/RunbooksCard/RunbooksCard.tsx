import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { IncidentDetail } from '@vigil/plugin-incidents-common';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { RunbookList } from './RunbookList';

/**
 * The war room's runbooks: those of every affected component and every
 * alert of the incident, and the automations that apply, each with Run.
 * Reloads when the incident changes (a new affected service, new alerts).
 */
export const RunbooksCard = (props: { incident: IncidentDetail }) => {
  const { id, updatedAt } = props.incident;
  const api = useApi(incidentsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getIncidentRunbooks(id),
    [api, id, updatedAt],
  );
  return (
    <InfoCard title="Runbooks" noPadding={false}>
      {error && <ResponseErrorPanel error={error} title="Runbooks" />}
      {loading && !value && <Progress />}
      {value && <RunbookList value={value} />}
    </InfoCard>
  );
};
