import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import { IncidentsTable } from '../../incidents/IncidentsTable';
import { NewIncidentButton } from '../../incidents/NewIncidentButton';

/**
 * An entity page tab: the incident list filtered to the entity.
 */
export const EntityIncidentsContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const name = entity.metadata.title ?? entity.metadata.name;
  return (
    <>
      <Box display="flex" justifyContent="flex-end" mb={2}>
        <NewIncidentButton
          label="Open incident"
          initialServices={[entityRef]}
        />
      </Box>
      <IncidentsTable entityRef={entityRef} title={`Incidents of ${name}`} />
    </>
  );
};
