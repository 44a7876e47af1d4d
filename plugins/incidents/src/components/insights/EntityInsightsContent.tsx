import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { InsightsContent } from './InsightsContent';

/** The Insights figures for the component of the entity page. */
export const EntityInsightsContent = () => {
  const { entity } = useEntity();
  return <InsightsContent entityRef={stringifyEntityRef(entity)} />;
};
