import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import {
  Alert,
  IncidentDetail,
  IncidentSignal,
} from '@vigil/plugin-incidents-common';
import { useIncidentSignals } from '../../../hooks';
import { useAlertPages } from '../../../hooks/useAlertPages';
import { useAlertsLink } from '../../../hooks/useAlertsLink';
import { formatRelative } from '../../../utils/format';
import { AlertStatusChip } from '../../alerts/AlertStatusChip';
import { SeverityChip } from '../../incidents/SeverityChip';

/** A compact row per alert: status, severity, title, component, last seen. */
export const AlertRows = (props: { alerts: Alert[]; hideEntity?: boolean }) => (
  <List dense disablePadding>
    {props.alerts.map(alert => (
      <ListItem key={alert.id} disableGutters>
        <Box mr={1} display="flex" style={{ gap: 4 }}>
          <AlertStatusChip status={alert.status} />
          <SeverityChip severity={alert.severity} />
        </Box>
        <ListItemText
          // Long titles and sources wrap inside the card.
          style={{
            minWidth: 0,
            whiteSpace: 'normal',
            overflowWrap: 'anywhere',
          }}
          primary={alert.title}
          secondary={
            <>
              {!props.hideEntity && (
                <>
                  {alert.entityRef ? (
                    <EntityRefLink
                      entityRef={alert.entityRef}
                      defaultKind="component"
                      hideIcon
                    />
                  ) : (
                    <em>unmapped</em>
                  )}
                  {' · '}
                </>
              )}
              {alert.source} · {formatRelative(alert.lastSeenAt)}
              {alert.seenCount > 1 ? ` · seen ${alert.seenCount}×` : ''}
            </>
          }
          secondaryTypographyProps={{ component: 'div' }}
        />
      </ListItem>
    ))}
  </List>
);

/** How many alerts the card lists; the Alerts view has them all. */
const CARD_LIMIT = 20;

/**
 * The alerts of an incident in its war room (a storm parent lists the whole
 * storm), newest first, with a link to them in the Alerts view; nothing
 * when it has none. Reloads when the incident, its parent or its children
 * change.
 */
export const IncidentAlertsCard = (props: { incident: IncidentDetail }) => {
  const { incident } = props;
  const pages = useAlertPages({ incidentId: incident.id }, CARD_LIMIT);
  const { reload } = pages;
  useIncidentSignals((signal: IncidentSignal) => {
    const related = new Set([
      incident.id,
      incident.parentId,
      ...incident.children.map(child => child.id),
    ]);
    if (related.has(signal.incidentId)) {
      reload();
    }
  });
  const alertsLink = useAlertsLink();
  const alerts = pages.items;
  const firing = alerts?.filter(a => a.status === 'firing').length ?? 0;
  const to = alertsLink({ incidentId: incident.ref });

  const content = () => {
    if (pages.error) {
      return <ResponseErrorPanel error={pages.error} title="Alerts" />;
    }
    if (!alerts) {
      return <Progress />;
    }
    return <AlertRows alerts={alerts} />;
  };

  // Most incidents opened by hand have no alerts: no card for them.
  if (alerts && !alerts.length && !pages.error) {
    return null;
  }

  return (
    <InfoCard
      title="Alerts"
      subheader={
        alerts?.length
          ? `${
              pages.hasMore ? `Latest ${alerts.length}: ` : ''
            }${firing} firing, ${alerts.length - firing} resolved`
          : undefined
      }
      deepLink={
        to && alerts?.length
          ? { link: to, title: 'View in the Alerts view' }
          : undefined
      }
    >
      {content()}
    </InfoCard>
  );
};
