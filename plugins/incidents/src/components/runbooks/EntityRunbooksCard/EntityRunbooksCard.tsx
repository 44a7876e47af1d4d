import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../../api';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';
import { RunbookList } from '../RunbooksCard';

/** A component's runbooks and runbook automations, on its page. */
export const EntityRunbooksCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(incidentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntityRunbooks(entityRef),
    [api, entityRef],
  );
  return (
    <InfoCard title="Runbooks">
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
      {value && <RunbookList value={value} hideSubjects />}
    </InfoCard>
  );
};
