import { useCallback } from 'react';
import { useParams } from 'react-router-dom';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  Page,
  ErrorPage,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import {
  IncidentSignal,
  postmortemPublishPermission,
} from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../../api';
import {
  useIncidentLink,
  useIncidentPermissions,
  useIncidentSignals,
  useRunAction,
} from '../../../hooks';
import { rootRouteRef } from '../../../routes';
import { formatTimestamp } from '../../../utils/format';
import { postmortemOrNothing } from '../../../utils/postmortems';
import { ActionItemsCard } from '../ActionItemsCard';
import {
  POSTMORTEM_STATUS_LABELS,
  PostmortemStatusLabel,
} from '../PostmortemStatusLabel';
import { PostmortemEditor } from './PostmortemEditor';
import { PersonName } from '../../shared/PersonName';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';

const isNotFound = (error: Error) =>
  (error as { statusCode?: number }).statusCode === 404;

/**
 * An incident's postmortem at `/incidents/:id/postmortem`: the editor with
 * live preview and outline, the review and publish buttons the user's
 * permissions allow, the action items and the revision history.
 */
export const PostmortemPage = () => {
  const { id = '' } = useParams();
  const api = useApi(incidentsApiRef);
  const listLink = useRouteRef(rootRouteRef);
  const incidentLink = useIncidentLink();
  const { run, busy } = useRunAction();
  // With the action permissions: no permission requests of its own.
  const incident = useAsyncRetry(
    () => api.getIncident(id, { permissions: true }),
    [api, id],
  );
  const postmortem = useAsyncRetry(
    () => postmortemOrNothing(() => api.getPostmortem(id)),
    [api, id],
  );
  const revisions = useAsyncRetry(
    () =>
      postmortem.value
        ? api.listPostmortemRevisions(id)
        : Promise.resolve(undefined),
    [api, id, postmortem.value?.version],
  );
  const detail = incident.value;
  const permissions = useIncidentPermissions(
    detail?.id,
    detail?.updatedAt,
    detail?.permissions,
  );
  const publish = usePermission({ permission: postmortemPublishPermission });

  const { retry: retryIncident } = incident;
  const { retry: retryPostmortem } = postmortem;
  const refresh = useCallback(() => {
    retryIncident();
    retryPostmortem();
  }, [retryIncident, retryPostmortem]);
  useIncidentSignals((signal: IncidentSignal) => {
    if (signal.incidentId === detail?.id || signal.ref === id) {
      refresh();
    }
  });

  if (!detail && incident.error && isNotFound(incident.error)) {
    return (
      <ErrorPage
        status="404"
        statusMessage={`Incident ${id} not found`}
        additionalInfo={
          <>
            It does not exist, or you may not see it, so it has no postmortem.{' '}
            <Link to={listLink()} underline="always">
              All incidents
            </Link>
          </>
        }
      />
    );
  }

  if (!detail) {
    return (
      <Page themeId="tool">
        <Header
          title={`${id} postmortem`}
          type="Incidents"
          typeLink={listLink()}
        />
        <Content>
          {incident.error ? (
            <LoadError
              error={incident.error}
              title={`Could not load ${id}`}
              onRetry={refresh}
            />
          ) : (
            <LoadingSkeleton
              variant="card"
              rows={12}
              label="Loading postmortem"
            />
          )}
        </Content>
      </Page>
    );
  }

  const current = postmortem.value;
  const start = () =>
    run(`start the postmortem of ${detail.ref}`, () =>
      api.startPostmortem(detail.id),
    ).then(refresh);

  const body = () => {
    if (postmortem.error) {
      return (
        <LoadError
          error={postmortem.error}
          title="Could not load the postmortem"
          onRetry={retryPostmortem}
        />
      );
    }
    if (postmortem.loading && !current) {
      return (
        <LoadingSkeleton variant="card" rows={12} label="Loading postmortem" />
      );
    }
    if (!current) {
      const startable =
        detail.status === 'resolved' || detail.status === 'postmortem';
      return (
        <EmptyState
          missing="content"
          title="No postmortem yet"
          description={
            startable
              ? 'Start it from the template; it is pre-filled with the timeline, impact, roles and root cause.'
              : `${detail.ref} is ${detail.status}; its postmortem starts once it is resolved.`
          }
          action={
            startable && permissions.update ? (
              <Button
                variant="contained"
                color="primary"
                disabled={busy}
                onClick={start}
              >
                Start postmortem
              </Button>
            ) : undefined
          }
        />
      );
    }
    return (
      <>
        <PostmortemEditor
          incidentId={detail.id}
          postmortem={current}
          canEdit={permissions.update}
          canPublish={publish.allowed}
          onChange={() => {
            retryPostmortem();
            retryIncident();
          }}
        />
        <Box mt={3}>
          <ActionItemsCard
            incident={detail}
            canEdit={permissions.note}
            onChange={retryIncident}
          />
        </Box>
        <Box mt={3}>
          <InfoCard title="History" noPadding>
            <List dense aria-label="History">
              {(revisions.value ?? []).map(r => (
                <ListItem key={r.version}>
                  <ListItemText
                    primary={`Version ${r.version} (revision ${r.revision}): ${
                      r.action === 'saved' || r.action === 'started'
                        ? r.action
                        : `moved to ${POSTMORTEM_STATUS_LABELS[r.status]}`
                    }`}
                    secondary={
                      <>
                        <PersonName actor={r.author} />,{' '}
                        {formatTimestamp(r.createdAt)}
                      </>
                    }
                  />
                </ListItem>
              ))}
            </List>
          </InfoCard>
        </Box>
      </>
    );
  };

  const warRoom = incidentLink(detail.ref);
  return (
    <Page themeId="tool">
      <Header
        title={current?.title ?? `Postmortem: ${detail.ref} ${detail.title}`}
        type="Incidents"
        typeLink={listLink()}
      >
        <HeaderLabel label="Severity" value={detail.severity.toUpperCase()} />
        {current && (
          <HeaderLabel
            label="Postmortem"
            value={POSTMORTEM_STATUS_LABELS[current.status]}
          />
        )}
      </Header>
      <Content>
        <ContentHeader title="Postmortem">
          <Box display="flex" alignItems="center" style={{ gap: 16 }}>
            {current && <PostmortemStatusLabel status={current.status} />}
            {warRoom && <Link to={warRoom}>Back to the war room</Link>}
          </Box>
        </ContentHeader>
        {body()}
      </Content>
    </Page>
  );
};
