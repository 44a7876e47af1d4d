import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useIncidentSignals } from '../../../hooks';
import { useAlertPages } from '../../../hooks/useAlertPages';
import { useAlertsLink } from '../../../hooks/useAlertsLink';
import { AlertRows } from '../../warRoom/IncidentAlertsCard';

/**
 * A component's firing alerts, the newest few, with a link to all of them in
 * the Alerts view.
 */
export const FiringAlerts = (props: { entityRef: string; limit?: number }) => {
  const { entityRef, limit = 3 } = props;
  const pages = useAlertPages({ entityRef, status: 'firing' }, limit);
  // Signals don't say which services changed, so any change reloads.
  useIncidentSignals(pages.reload);
  const alertsLink = useAlertsLink();
  const to = alertsLink({ entityRef, status: 'firing' });
  const alerts = pages.items;

  let body;
  if (pages.error) {
    body = (
      <Typography variant="body2" color="error">
        Could not load alerts: {pages.error.message}
      </Typography>
    );
  } else if (!alerts) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Loading…
      </Typography>
    );
  } else if (!alerts.length) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No firing alerts.
      </Typography>
    );
  } else {
    body = <AlertRows alerts={alerts} hideEntity />;
  }

  return (
    <Box mb={2} component="section" aria-label="Firing alerts">
      <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
        <Typography variant="subtitle2">
          Firing alerts
          {alerts?.length
            ? ` (${alerts.length}${pages.hasMore ? '+' : ''})`
            : ''}
        </Typography>
        {to && alerts && alerts.length > 0 && (
          <Typography variant="body2">
            <Link to={to}>
              {pages.hasMore ? 'All firing alerts' : 'In the Alerts view'}
            </Link>
          </Typography>
        )}
      </Box>
      {body}
    </Box>
  );
};
