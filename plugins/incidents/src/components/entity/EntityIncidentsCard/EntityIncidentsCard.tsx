import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { IncidentStatus } from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../../api';
import { useIncidentSignals } from '../../../hooks';
import { NewIncidentButton } from '../../incidents/NewIncidentButton';
import { PostmortemLinks } from '../../postmortems/PostmortemCard';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { FiringAlerts } from './FiringAlerts';
import { IncidentList } from './IncidentList';
import { PublicStatus } from './PublicStatus';

const ACTIVE: IncidentStatus[] = ['open', 'investigating', 'mitigated'];

/**
 * Options of {@link EntityIncidentsCard}.
 * @public
 */
export interface EntityIncidentsCardProps {
  /** Hides the "Open incident" button. */
  readOnly?: boolean;
  /** How many recent incidents to list; 5 by default. */
  recentLimit?: number;
  /** Lists recently closed incidents below the active ones. */
  showRecent?: boolean;
  /** Lists the entity's newest firing alerts below the active incidents. */
  showAlerts?: boolean;
  /** Lists the entity's published postmortems at the bottom. */
  showPostmortems?: boolean;
}

/**
 * An entity's active and recent incidents, with a button to open one
 * prefilled with the entity.
 */
export const EntityIncidentsCard = (props: EntityIncidentsCardProps) => {
  const {
    readOnly = false,
    recentLimit = 5,
    showRecent = true,
    showAlerts = true,
    showPostmortems = true,
  } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(incidentsApiRef);

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [active, recent] = await Promise.all([
      api.listIncidents({ entityRef, status: ACTIVE, limit: 50 }),
      showRecent
        ? api.listIncidents({
            entityRef,
            // the active ones are listed above already
            status: ['resolved', 'postmortem', 'cancelled'],
            sort: 'openedAt',
            order: 'desc',
            limit: recentLimit,
          })
        : undefined,
    ]);
    const postmortems = showPostmortems
      ? await api.listPostmortems({
          entityRef,
          status: ['published'],
          limit: recentLimit,
        })
      : undefined;
    return { active, recent, postmortems };
  }, [api, entityRef, recentLimit, showRecent, showPostmortems]);
  // Signals don't say which services changed, so any change reloads.
  useIncidentSignals(retry);

  const content = () => {
    if (loading && !value) {
      return <Progress />;
    }
    if (error) {
      return <ResponseErrorPanel error={error} />;
    }
    const { active, recent, postmortems } = value!;
    return (
      <>
        <PublicStatus entityRef={entityRef} reload={value} />
        <IncidentList
          title={`Active (${active.totalCount})`}
          incidents={active.items}
          emptyText="No active incidents."
        />
        {showAlerts && <FiringAlerts entityRef={entityRef} />}
        {recent && (
          <IncidentList
            title="Recent"
            incidents={recent.items}
            emptyText="No incidents yet."
          />
        )}
        {postmortems && (
          <Box component="section" aria-label="Postmortems">
            <Typography variant="subtitle2">Postmortems</Typography>
            <PostmortemLinks
              postmortems={postmortems.items}
              emptyText="No published postmortems."
            />
          </Box>
        )}
      </>
    );
  };

  return (
    <InfoCard
      title="Incidents"
      action={
        !readOnly && (
          <NewIncidentButton
            label="Open incident"
            initialServices={[entityRef]}
          />
        )
      }
    >
      {content()}
    </InfoCard>
  );
};
