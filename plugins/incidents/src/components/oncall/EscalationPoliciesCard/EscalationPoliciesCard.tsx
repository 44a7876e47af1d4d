import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Severity } from '@vigil/plugin-incidents-common';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { EscalationSteps } from '../EscalationSteps';
import { ScheduleNames } from '../EscalationSteps/EscalationSteps';
import { SeverityChip } from '../../incidents/SeverityChip';

const SeverityList = ({ severities }: { severities: Severity[] }) => (
  <Box component="span" display="inline-flex" style={{ gap: 4 }}>
    {severities.map(severity => (
      <SeverityChip key={severity} severity={severity} />
    ))}
  </Box>
);

/**
 * Every escalation policy with its steps: whom an unacknowledged incident
 * pages, and when.
 */
export const EscalationPoliciesCard = (props: {
  scheduleNames?: ScheduleNames;
}) => {
  const { scheduleNames } = props;
  const api = useApi(incidentsApiRef);
  const { value, loading, error } = useAsync(
    () => api.listEscalationPolicies(),
    [api],
  );

  const content = () => {
    if (loading) {
      return <Progress />;
    }
    if (error) {
      return <ResponseErrorPanel error={error} />;
    }
    const { items, pagingSeverities } = value!;
    // The backend falls back to the first policy that lists no components.
    const defaultId = items.find(p => p.services.length === 0)?.id;
    if (items.length === 0) {
      return (
        <Typography color="textSecondary">
          No escalation policies are configured (incidents.escalation.policies),
          so incidents page nobody.
        </Typography>
      );
    }
    return (
      <>
        <Typography variant="body2" component="div" gutterBottom>
          Incidents of <SeverityList severities={pagingSeverities} /> page
          whoever a policy names until someone acknowledges. A component names
          its policy with the vigil.dev/escalation-policy annotation, on itself
          or its owner group.
        </Typography>
        <Grid container spacing={3}>
          {items.map(policy => (
            <Grid item xs={12} md={6} lg={4} key={policy.id}>
              <Box
                component="section"
                aria-label={`Escalation policy ${policy.name}`}
              >
                <Divider />
                <Box mt={1}>
                  <Typography variant="h6" component="h3">
                    {policy.name}
                  </Typography>
                  <Typography
                    variant="body2"
                    color="textSecondary"
                    component="div"
                  >
                    {policy.services.length > 0 && (
                      <>
                        For{' '}
                        <EntityRefLinks
                          entityRefs={policy.services}
                          defaultKind="component"
                        />{' '}
                        and components or teams that name it
                      </>
                    )}
                    {policy.services.length === 0 &&
                      (policy.id === defaultId
                        ? 'Default for components that name no policy'
                        : 'For components or teams that name it')}
                    {policy.severities.length > 0 &&
                      policy.severities.join() !== pagingSeverities.join() && (
                        <Box mt={0.5}>
                          Pages for{' '}
                          <SeverityList severities={policy.severities} />
                        </Box>
                      )}
                  </Typography>
                  <EscalationSteps
                    policy={policy}
                    scheduleNames={scheduleNames}
                  />
                </Box>
              </Box>
            </Grid>
          ))}
        </Grid>
      </>
    );
  };

  return <InfoCard title="Escalation policies">{content()}</InfoCard>;
};
