import {
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { Incident, PostmortemSummary } from '@vigil/plugin-incidents-common';
import { useNavigate } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../../api';
import { usePostmortemLink, useRunAction } from '../../../hooks';
import { formatTimestamp } from '../../../utils/format';
import { postmortemOrNothing } from '../../../utils/postmortems';
import { PostmortemStatusLabel } from '../PostmortemStatusLabel';

/** Links to published postmortems, for the war room and entity pages. */
export const PostmortemLinks = (props: {
  postmortems: PostmortemSummary[];
  emptyText: string;
}) => {
  const link = usePostmortemLink();
  if (props.postmortems.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.emptyText}
      </Typography>
    );
  }
  return (
    <Box component="ul" m={0} pl={2}>
      {props.postmortems.map(p => {
        const to = link(p.incident.ref);
        return (
          <li key={p.id}>
            <Typography variant="body2">
              {to ? <Link to={to}>{p.title}</Link> : p.title}{' '}
              <Typography
                component="span"
                variant="caption"
                color="textSecondary"
              >
                {p.incident.severity.toUpperCase()}, published{' '}
                {formatTimestamp(p.publishedAt)}
              </Typography>
            </Typography>
          </li>
        );
      })}
    </Box>
  );
};

/**
 * The war room's postmortem card: this incident's postmortem (or a button
 * to start it once resolved) and the published postmortems of earlier
 * incidents that touched the same services.
 */
export const PostmortemCard = (props: {
  incident: Incident;
  canStart: boolean;
}) => {
  const { incident, canStart } = props;
  const api = useApi(incidentsApiRef);
  const link = usePostmortemLink();
  const navigate = useNavigate();
  const { run, busy } = useRunAction();
  const { value, loading, error } = useAsyncRetry(async () => {
    // Only an incident in `postmortem` has one (the move creates it): asking
    // for the postmortem of any other would be a 404 on every war room.
    const hasOne = incident.status === 'postmortem';
    const [own, related] = await Promise.all([
      hasOne
        ? postmortemOrNothing(() => api.getPostmortem(incident.id))
        : undefined,
      api.listRelatedPostmortems(incident.id),
    ]);
    return { own, related };
  }, [api, incident.id, incident.status, incident.updatedAt]);

  const to = link(incident.ref);
  const start = async () => {
    const ok = await run(`start the postmortem of ${incident.ref}`, () =>
      api.startPostmortem(incident.id),
    );
    if (ok && to) {
      navigate(to);
    }
  };

  const own = () => {
    if (value?.own) {
      return (
        <Box display="flex" alignItems="center" style={{ gap: 12 }}>
          <PostmortemStatusLabel status={value.own.status} />
          {to && (
            <LinkButton variant="outlined" color="primary" to={to}>
              Open postmortem
            </LinkButton>
          )}
        </Box>
      );
    }
    // Moving a resolved incident to postmortem (the war room's "Start
    // postmortem") starts it; this creates one that a failure left missing.
    if (incident.status === 'postmortem' && canStart) {
      return (
        <Button
          variant="contained"
          color="primary"
          disabled={busy}
          onClick={start}
        >
          Create from template
        </Button>
      );
    }
    return (
      <Typography variant="body2" color="textSecondary">
        {incident.status === 'resolved'
          ? 'Start postmortem moves the incident to postmortem and starts it from the template.'
          : 'The postmortem starts once the incident is resolved.'}
      </Typography>
    );
  };

  return (
    <InfoCard title="Postmortem">
      {loading && !value && <Progress />}
      {error && (
        <Typography color="error">Could not load: {error.message}</Typography>
      )}
      {value && (
        <>
          {own()}
          <Box mt={2}>
            <Typography variant="subtitle2" gutterBottom>
              Related postmortems
            </Typography>
            <PostmortemLinks
              postmortems={value.related}
              emptyText="No published postmortems of earlier incidents on these services."
            />
          </Box>
        </>
      )}
    </InfoCard>
  );
};
