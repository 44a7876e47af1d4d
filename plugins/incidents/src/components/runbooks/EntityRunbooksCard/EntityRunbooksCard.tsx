import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { RunbookList } from '../RunbooksCard';

/** A component's runbooks and runbook automations, on its page. */
export const EntityRunbooksCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(incidentsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getEntityRunbooks(entityRef),
    [api, entityRef],
  );
  return (
    <InfoCard title="Runbooks">
      {error && <ResponseErrorPanel error={error} title="Runbooks" />}
      {loading && <Progress />}
      {value && <RunbookList value={value} hideSubjects />}
    </InfoCard>
  );
};
