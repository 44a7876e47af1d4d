import { Link, LinkButton } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { useActiveIncidents, useIncidentLink } from '../../../hooks';
import { rootRouteRef } from '../../../routes';
import { formatRelative } from '../../../utils/format';
import { STATUS_LABELS } from '../../../utils/lifecycle';
import { RefText } from '../../shared/RefText';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';
import { NewIncidentButton } from '../NewIncidentButton';
import { SeverityChip } from '../SeverityChip';

/**
 * The home page's "Active incidents": the most severe first, each with its
 * state and age, a link to all of them and "Declare incident".
 * @public
 */
export const ActiveIncidentsCardContent = (props: { limit?: number }) => {
  const { limit = 5 } = props;
  const { value, loading, error, retry } = useActiveIncidents({ limit });
  const linkTo = useIncidentLink();
  const listLink = useRouteRef(rootRouteRef);

  let body;
  if (error) {
    body = (
      <LoadError
        error={error}
        title="Could not list incidents"
        onRetry={retry}
      />
    );
  } else if (loading && !value) {
    body = (
      <LoadingSkeleton variant="card" rows={3} label="Loading incidents" />
    );
  } else if (!value?.items.length) {
    body = (
      <Typography color="textSecondary">No active incidents. Quiet.</Typography>
    );
  } else {
    body = (
      <List dense disablePadding>
        {value.items.map(incident => (
          <ListItem key={incident.id} disableGutters>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <SeverityChip severity={incident.severity} />
              <Link to={linkTo(incident.ref) ?? ''}>
                {incident.ref}: <RefText text={incident.title} />
              </Link>
              <Typography variant="body2" component="span">
                {STATUS_LABELS[incident.status]} ·{' '}
                {formatRelative(incident.openedAt)}
              </Typography>
            </Box>
          </ListItem>
        ))}
      </List>
    );
  }

  // The buttons first: a fixed-height home card clips what overflows.
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        <NewIncidentButton label="Declare incident" shortcut />
        <LinkButton to={listLink()} variant="outlined">
          {value && value.totalCount > value.items.length
            ? `All ${value.totalCount} active`
            : 'All incidents'}
        </LinkButton>
      </Box>
      {body}
    </Box>
  );
};
