import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { Incident } from '@vigil/plugin-incidents-common';
import { useIncidentLink } from '../../../hooks';
import { formatRelative } from '../../../utils/format';
import { IncidentStatusLabel } from '../../incidents/IncidentStatusLabel';
import { SeverityChip } from '../../incidents/SeverityChip';

/** A compact list of incidents for a card. */
export const IncidentList = (props: {
  title: string;
  incidents: Incident[];
  emptyText: string;
}) => {
  const linkTo = useIncidentLink();
  return (
    <Box mb={2} component="section" aria-label={props.title}>
      <Typography variant="subtitle2">{props.title}</Typography>
      {props.incidents.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {props.emptyText}
        </Typography>
      ) : (
        <List dense disablePadding>
          {props.incidents.map(incident => {
            const to = linkTo(incident.ref);
            const label = `${incident.ref}: ${incident.title}`;
            return (
              <ListItem key={incident.id} disableGutters>
                <Box mr={1}>
                  <SeverityChip severity={incident.severity} />
                </Box>
                <ListItemText
                  primary={to ? <Link to={to}>{label}</Link> : label}
                  secondary={
                    <>
                      <IncidentStatusLabel status={incident.status} /> ·{' '}
                      {formatRelative(incident.openedAt)}
                    </>
                  }
                  secondaryTypographyProps={{ component: 'div' }}
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
};
