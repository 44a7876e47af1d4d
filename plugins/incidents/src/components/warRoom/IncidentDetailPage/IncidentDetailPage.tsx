import { useCallback, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  Content,
  ErrorPage,
  Header,
  Link,
  HeaderLabel,
  Page,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import {
  Incident,
  IncidentDetail,
  IncidentSignal,
} from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';
import { incidentsApiRef } from '../../../api';
import {
  useIncidentPermissions,
  useIncidentSignals,
  useOwnershipGroups,
  useReadableText,
} from '../../../hooks';
import { rootRouteRef } from '../../../routes';
import { ActionItemsCard } from '../../postmortems/ActionItemsCard';
import { ChildIncidentsCard } from '../ChildIncidentsCard';
import { isStormParent } from '../../incidents/ChildCountChip';
import { EvidenceCard } from '../EvidenceCard';
import { ImpactCard } from '../ImpactCard';
import { IncidentAlertsCard } from '../IncidentAlertsCard';
import { IncidentRolesCard } from '../IncidentRolesCard';
import { IncidentSummary } from '../IncidentSummary';
import { IncidentTimeline } from '../IncidentTimeline';
import { CommandBar } from '../CommandBar';
import { PostmortemCard } from '../../postmortems/PostmortemCard';
import { StatusPageCard } from '../../statusPage/StatusPageCard';
import { PagingCard } from '../PagingCard';
import { StatusUpdatesCard } from '../StatusUpdatesCard';
import { RunbooksCard } from '../../runbooks/RunbooksCard';
import { BlastRadiusCard } from '../../runbooks/BlastRadiusCard';

/**
 * The incident as loaded, updated with what a change just answered (the
 * acknowledger as responder, the new commander) until the reload catches up.
 */
function withChange(
  loaded: IncidentDetail | undefined,
  changed: Incident | undefined,
): IncidentDetail | undefined {
  if (!loaded || !changed || changed.id !== loaded.id) {
    return loaded;
  }
  return changed.updatedAt > loaded.updatedAt
    ? { ...loaded, ...changed }
    : loaded;
}

/** The war room's page before the incident is known: loading, missing, failed. */
const NotLoaded = (props: {
  id: string;
  error?: Error;
  onRetry: () => void;
}) => {
  const { id, error, onRetry } = props;
  const listLink = useRouteRef(rootRouteRef);
  if ((error as { statusCode?: number } | undefined)?.statusCode === 404) {
    return (
      <ErrorPage
        status="404"
        statusMessage={`Incident ${id} not found`}
        additionalInfo={
          <>
            It does not exist, or you may not see it.{' '}
            {/* Underlined: its blue on the grey text is only 1.5:1. */}
            <Link to={listLink()} underline="always">
              All incidents
            </Link>
          </>
        }
      />
    );
  }
  return (
    <Page themeId="tool">
      <Header title={id} type="Incidents" typeLink={listLink()} />
      <Content>
        {error ? (
          <LoadError
            error={error}
            title={`Could not load ${id}`}
            onRetry={onRetry}
          />
        ) : (
          <LoadingSkeleton variant="cards" label={`Loading ${id}`} />
        )}
      </Content>
    </Page>
  );
};

/**
 * The war room for one incident, at `/incidents/:id` (id or `INC-42`). Reloads
 * when the backend signals a change to it.
 */
export const IncidentDetailPage = () => {
  const { id = '' } = useParams();
  const api = useApi(incidentsApiRef);
  const listLink = useRouteRef(rootRouteRef);
  // With the action permissions: no permission requests of its own.
  const incident = useAsyncRetry(
    () => api.getIncident(id, { permissions: true }),
    [api, id],
  );
  const timeline = useAsyncRetry(() => api.getTimeline(id), [api, id]);
  const escalations = useAsyncRetry(
    () => api.listIncidentEscalations(id),
    [api, id],
  );
  const [changed, setChanged] = useState<Incident>();
  const detail = withChange(incident.value, changed);
  const { userRef } = useOwnershipGroups();
  const title = useReadableText(detail?.title ?? '');
  // Decided by the backend with the read (GetIncident `permissions=true`).
  const permissions = useIncidentPermissions(
    detail?.id,
    detail?.updatedAt,
    detail?.permissions,
  );

  const { retry: retryIncident } = incident;
  const { retry: retryTimeline } = timeline;
  const { retry: retryEscalations } = escalations;
  const refresh = useCallback(() => {
    retryIncident();
    retryTimeline();
    retryEscalations();
  }, [retryIncident, retryTimeline, retryEscalations]);

  // Changes to this incident, its parent or its duplicates all show here.
  useIncidentSignals(
    (signal: IncidentSignal) => {
      const related = new Set([
        id,
        detail?.id,
        detail?.ref,
        detail?.parentId,
        ...(detail?.children.map(child => child.id) ?? []),
      ]);
      if (related.has(signal.incidentId) || related.has(signal.ref)) {
        refresh();
      }
    },
    { notify: true },
  );

  const onChange = useCallback(
    (next?: Incident) => {
      setChanged(next);
      refresh();
    },
    [refresh],
  );

  if (!detail) {
    return <NotLoaded id={id} error={incident.error} onRetry={refresh} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title={`${detail.ref}: ${title}`}
        type="Incidents"
        typeLink={listLink()}
      >
        {detail.childCount > 0 && (
          <HeaderLabel
            label={isStormParent(detail) ? 'Storm' : 'Children'}
            value={`${detail.childCount} ${
              detail.childCount === 1 ? 'incident' : 'incidents'
            }`}
          />
        )}
      </Header>
      <Content>
        <CommandBar
          incident={detail}
          permissions={permissions}
          userRef={userRef}
          onChange={onChange}
        />
        {incident.error && (
          <LoadError
            error={incident.error}
            title={`Could not reload ${detail.ref}`}
            onRetry={retryIncident}
          />
        )}
        <Grid container spacing={3}>
          <Grid item xs={12} md={7}>
            <IncidentSummary incident={detail} />
          </Grid>
          <Grid item xs={12} md={5}>
            <IncidentRolesCard
              incident={detail}
              canEdit={permissions.update}
              onChange={refresh}
            />
          </Grid>
          <Grid item xs={12} md={7}>
            {timeline.error ? (
              <LoadError
                error={timeline.error}
                title="Could not load the timeline"
                onRetry={retryTimeline}
              />
            ) : (
              <IncidentTimeline
                incidentId={detail.id}
                entries={timeline.value ?? []}
                canNote={permissions.note}
                onNoteAdded={refresh}
              />
            )}
          </Grid>
          <Grid item xs={12} md={5}>
            {/* A column of cards: a flex column, not a nested Grid container,
                whose negative spacing margins made it 24 px wider than its
                cell (the cards ran off the right edge). minWidth 0 lets long
                alert lines wrap instead of widening the column. */}
            <Box
              display="flex"
              flexDirection="column"
              minWidth={0}
              style={{ gap: 24 }}
            >
              <PagingCard
                escalations={escalations.value?.items}
                chatPosts={escalations.value?.chatPosts}
                error={escalations.error}
              />
              <StatusPageCard incident={detail} onChange={refresh} />
              <ImpactCard
                incident={detail}
                canEdit={permissions.update}
                onChange={refresh}
              />
              <StatusUpdatesCard
                incident={detail}
                canPost={permissions.note}
                onChange={refresh}
              />
              <EvidenceCard
                incident={detail}
                canAdd={permissions.note}
                onChange={refresh}
              />
              {detail.children.length > 0 && (
                <ChildIncidentsCard incident={detail} />
              )}
              <IncidentAlertsCard incident={detail} />
              <RunbooksCard incident={detail} />
              <BlastRadiusCard
                incident={detail}
                canNotify={permissions.update}
                onNotified={refresh}
              />
            </Box>
          </Grid>
          <Grid item xs={12}>
            <PostmortemCard incident={detail} canStart={permissions.update} />
          </Grid>
          <Grid item xs={12}>
            <ActionItemsCard
              incident={detail}
              canEdit={permissions.note}
              onChange={refresh}
            />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};
