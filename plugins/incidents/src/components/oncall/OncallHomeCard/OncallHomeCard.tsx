import { useCallback, useState } from 'react';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { MyOpenPage } from '@vigil/plugin-incidents-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef, OncallNow } from '../../../api';
import { useIncidentLink, useIncidentSignals } from '../../../hooks';
import { describeError } from '../../../utils/errors';
import { formatRelative } from '../../../utils/format';
import { formatUntil } from '../../../utils/oncall';
import { SeverityChip } from '../../incidents/SeverityChip';

type Outcome = { severity: 'info' | 'error'; message: string };

/** The user's pages nobody acknowledged yet, each with an Acknowledge button. */
const MyOpenPages = () => {
  const api = useApi(incidentsApiRef);
  const linkTo = useIncidentLink();
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const pages = useAsyncRetry(() => api.listMyOpenPages(), [api]);
  const { retry } = pages;

  // New pages, and acknowledgements by others, show without a reload.
  useIncidentSignals(useCallback(() => retry(), [retry]));

  const acknowledge = async (page: MyOpenPage) => {
    const { incident } = page;
    setBusy(page.pageId);
    setOutcome(undefined);
    try {
      await api.moveIncident(
        incident.id,
        'investigating',
        undefined,
        'home-widget',
      );
      setOutcome({
        severity: 'info',
        message: `You acknowledged ${incident.ref}.`,
      });
    } catch (error) {
      const statusCode = (error as { statusCode?: number }).statusCode;
      setOutcome({
        severity: 'error',
        message:
          statusCode === 409
            ? `Someone else acknowledged ${incident.ref} first.`
            : `Could not acknowledge ${incident.ref}: ${describeError(error)}`,
      });
    } finally {
      setBusy(undefined);
      retry();
    }
  };

  const items = pages.value?.items ?? [];
  return (
    <Box component="section" aria-label="My open pages" mb={2}>
      <Typography variant="subtitle2" component="h3">
        My open pages
      </Typography>
      {outcome && (
        <Typography
          role={outcome.severity === 'error' ? 'alert' : 'status'}
          variant="body2"
          color={outcome.severity === 'error' ? 'error' : 'textPrimary'}
        >
          {outcome.message}
        </Typography>
      )}
      {pages.loading && !pages.value && <Progress />}
      {pages.error && <ResponseErrorPanel error={pages.error} />}
      {pages.value && items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          Nothing is paging you.
        </Typography>
      )}
      {items.length > 0 && (
        <List dense disablePadding>
          {items.map(page => {
            const { incident } = page;
            const href = linkTo(incident.ref);
            const label = `${incident.ref}: ${incident.title}`;
            return (
              <ListItem key={page.pageId} disableGutters>
                <Box mr={1}>
                  <SeverityChip severity={incident.severity} />
                </Box>
                <ListItemText
                  primary={href ? <Link to={href}>{label}</Link> : label}
                  secondary={`Paged ${formatRelative(page.createdAt)} (step ${
                    page.step
                  })`}
                  style={{ paddingRight: 120 }}
                />
                <ListItemSecondaryAction>
                  <Button
                    size="small"
                    variant="contained"
                    color="primary"
                    disabled={busy !== undefined}
                    aria-label={`Acknowledge ${incident.ref}`}
                    onClick={() => acknowledge(page)}
                  >
                    Acknowledge
                  </Button>
                </ListItemSecondaryAction>
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
};

/** Who is on call now, the signed-in user's own schedules first. */
const OncallNowList = () => {
  const api = useApi(incidentsApiRef);
  const identityApi = useApi(identityApiRef);
  const { value, loading, error } = useAsync(async () => {
    const [{ items }, identity] = await Promise.all([
      api.getOncallNow(),
      identityApi.getBackstageIdentity(),
    ]);
    const me = identity.userEntityRef;
    const mine = (o: OncallNow) => o.user === me;
    return [
      ...items.filter(mine).map(o => ({ ...o, mine: true })),
      ...items.filter(o => !mine(o)).map(o => ({ ...o, mine: false })),
    ];
  }, [api, identityApi]);

  return (
    <Box component="section" aria-label="On call now">
      <Typography variant="subtitle2" component="h3">
        On call now
      </Typography>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No active on-call schedules.
        </Typography>
      )}
      {value && value.length > 0 && (
        <List dense disablePadding>
          {value.map(item => (
            <ListItem key={item.schedule.id} disableGutters>
              <ListItemText
                primary={
                  <>
                    {item.schedule.name}:{' '}
                    {item.user ? (
                      <EntityRefLink
                        entityRef={item.user}
                        defaultKind="user"
                        hideIcon
                      />
                    ) : (
                      'nobody'
                    )}
                    {item.mine && (
                      <Box component="span" ml={1}>
                        <Chip size="small" color="primary" label="You" />
                      </Box>
                    )}
                  </>
                }
                secondary={item.user ? `Until ${formatUntil(item.end)}` : ''}
              />
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
};

/**
 * The home page card's content: my open pages with an Acknowledge button,
 * and who is on call now (my own schedules first).
 */
export const OncallHomeCardContent = () => (
  <>
    <MyOpenPages />
    <OncallNowList />
  </>
);
