import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { formatUntil } from '../../../utils/oncall';
import { EscalationSteps } from '../EscalationSteps';

/** Whom an unacknowledged incident of the component pages after that. */
const EntityEscalation = ({ entityRef }: { entityRef: string }) => {
  const api = useApi(incidentsApiRef);
  const { value, loading, error } = useAsync(async () => {
    const [policies, schedules] = await Promise.all([
      api.listEscalationPolicies({ entityRef }),
      // Only for schedule names; the steps still show without them.
      api.listSchedules().catch(() => ({ items: [] })),
    ]);
    const scheduleNames = Object.fromEntries(
      schedules.items.map(s => [s.id, s.name]),
    );
    return { ...policies, scheduleNames };
  }, [api, entityRef]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title="Escalation" />;
  }
  const { items, pagingSeverities, scheduleNames } = value!;
  return (
    <Box component="section" aria-label="Escalation">
      <Typography variant="subtitle2" component="h3">
        Escalation
      </Typography>
      {items.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No escalation policy pages for this component.
        </Typography>
      ) : (
        items.map(policy => (
          <Box key={policy.id}>
            <Typography variant="body2" color="textSecondary">
              {policy.name}, for{' '}
              {(policy.severities.length ? policy.severities : pagingSeverities)
                .map(s => s.toLocaleUpperCase('en-US'))
                .join(', ')}
            </Typography>
            <EscalationSteps policy={policy} scheduleNames={scheduleNames} />
          </Box>
        ))
      )}
    </Box>
  );
};

/**
 * Who is on call for the current component now, and until when; then the
 * escalation steps that page if nobody acknowledges.
 */
export const EntityOnCallCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(incidentsApiRef);

  const { value, loading, error } = useAsync(
    () => api.getOncallNow({ entityRef }),
    [api, entityRef],
  );

  const content = () => {
    if (loading) {
      return <Progress />;
    }
    if (error) {
      return <ResponseErrorPanel error={error} />;
    }
    const items = value?.items ?? [];
    if (items.length === 0) {
      return (
        <Typography variant="body2" color="textSecondary">
          No on-call schedule for this component (set the
          vigil.dev/oncall-schedule annotation on it or its owner group)
        </Typography>
      );
    }
    return (
      <List dense disablePadding>
        {items.map(item => (
          <ListItem key={item.schedule.id} disableGutters>
            <ListItemText
              primary={
                item.user ? (
                  <EntityRefLink entityRef={item.user} defaultKind="user" />
                ) : (
                  'Nobody is on call'
                )
              }
              secondary={
                <>
                  <Typography variant="body2" component="span">
                    {item.schedule.name}
                  </Typography>
                  {item.user && <span> · until {formatUntil(item.end)}</span>}
                  {item.isOverride && (
                    <Box component="span" ml={1}>
                      <Chip size="small" label="Override" />
                    </Box>
                  )}
                </>
              }
              secondaryTypographyProps={{ component: 'div' }}
            />
          </ListItem>
        ))}
      </List>
    );
  };

  return (
    <InfoCard title="On call">
      {content()}
      <Box my={1}>
        <Divider />
      </Box>
      <EntityEscalation entityRef={entityRef} />
    </InfoCard>
  );
};
