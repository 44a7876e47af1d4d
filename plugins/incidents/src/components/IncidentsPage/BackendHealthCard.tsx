import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../api';

/** Shows whether the incidents backend answers, and on which database. */
export const BackendHealthCard = () => {
  const api = useApi(incidentsApiRef);
  const { value, loading, error } = useAsync(() => api.getHealth(), [api]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title="Backend unreachable" />;
  }
  return (
    <InfoCard title="Vigil backend">
      <StatusOK>Backend reachable</StatusOK>
      <StructuredMetadataTable
        metadata={{
          Status: value!.status,
          Database: value!.database,
          'Schema version': value!.migration ?? 'none',
          'Server time': value!.time,
        }}
      />
    </InfoCard>
  );
};
