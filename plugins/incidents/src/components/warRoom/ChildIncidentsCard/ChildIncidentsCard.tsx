import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { IncidentDetail } from '@vigil/plugin-incidents-common';
import { useIncidentLink } from '../../../hooks';
import { isStormParent } from '../../incidents/ChildCountChip';
import { IncidentStatusLabel } from '../../incidents/IncidentStatusLabel';
import { SeverityChip } from '../../incidents/SeverityChip';

/**
 * The duplicates merged into this incident, or the incidents a storm folded
 * into its parent; nothing when there are none.
 */
export const ChildIncidentsCard = (props: { incident: IncidentDetail }) => {
  const linkTo = useIncidentLink();
  const { children } = props.incident;
  if (!children.length) {
    return null;
  }
  return (
    <InfoCard
      title={
        isStormParent(props.incident)
          ? `Storm incidents (${children.length})`
          : `Merged duplicates (${children.length})`
      }
    >
      <List dense disablePadding>
        {children.map(child => {
          const to = linkTo(child.ref);
          return (
            <ListItem key={child.id} disableGutters>
              <ListItemText
                primary={
                  <>
                    {to ? <Link to={to}>{child.ref}</Link> : child.ref}{' '}
                    {child.title}
                  </>
                }
                secondary={<IncidentStatusLabel status={child.status} />}
                secondaryTypographyProps={{ component: 'div' }}
              />
              <Box ml={1}>
                <SeverityChip severity={child.severity} />
              </Box>
            </ListItem>
          );
        })}
      </List>
    </InfoCard>
  );
};
