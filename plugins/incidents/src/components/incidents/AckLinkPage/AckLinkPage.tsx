import { useState } from 'react';
import { useSearchParams, Link as RouterLink } from 'react-router-dom';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { Incident } from '@vigil/plugin-incidents-common';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { useIncidentLink } from '../../../hooks';
import { describeError } from '../../../utils/errors';
import { PersonName } from '../../shared/PersonName';
import { SeverityChip } from '../SeverityChip';

/**
 * The page a page's one-click acknowledge link opens
 * (`/incidents/ack?token=…`): what it acknowledges, and one button. A
 * replayed, expired or someone else's link shows the backend's reason and
 * changes nothing.
 */
export const AckLinkPage = () => {
  const api = useApi(incidentsApiRef);
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const incidentLink = useIncidentLink();
  const [busy, setBusy] = useState(false);
  const [acked, setAcked] = useState<Incident>();
  const [error, setError] = useState<string>();
  const inspection = useAsync(
    () =>
      token
        ? api.inspectAckLink(token)
        : Promise.reject(new Error('This link has no token')),
    [api, token],
  );

  const acknowledge = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setAcked(await api.acknowledgeByLink(token));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const info = inspection.value;
  const warRoom = info && incidentLink(info.incident.id);
  return (
    <Page themeId="tool">
      <Header title="Acknowledge page" />
      <Content>
        <Box maxWidth={640}>
          {inspection.loading && <Progress />}
          {inspection.error && (
            <InfoCard title="This link cannot be used">
              <Typography role="alert">
                {describeError(inspection.error)}
              </Typography>
            </InfoCard>
          )}
          {info && (
            <InfoCard
              title={`${info.incident.ref}: ${info.incident.title}`}
              subheader={
                <span>
                  Paged <PersonName actor={info.recipient} /> (escalation step{' '}
                  {info.step})
                </span>
              }
            >
              <Box display="flex" alignItems="center" mb={2} style={{ gap: 8 }}>
                <SeverityChip severity={info.incident.severity} />
                <Typography>
                  Status: {acked?.status ?? info.incident.status}
                </Typography>
              </Box>
              {acked ? (
                <Typography role="status">
                  Acknowledged. The escalation stopped; you are the responder.
                </Typography>
              ) : (
                <>
                  {!info.canAcknowledge && (
                    <Typography role="alert" paragraph>
                      {info.reason}
                    </Typography>
                  )}
                  {error && (
                    <Typography role="alert" color="error" paragraph>
                      {error}
                    </Typography>
                  )}
                  <Button
                    variant="contained"
                    color="primary"
                    disabled={busy || !info.canAcknowledge}
                    onClick={acknowledge}
                  >
                    Acknowledge {info.incident.ref}
                  </Button>
                </>
              )}
              {warRoom && (
                <Box mt={2}>
                  <Link component={RouterLink} to={warRoom}>
                    Open the war room
                  </Link>
                </Box>
              )}
            </InfoCard>
          )}
        </Box>
      </Content>
    </Page>
  );
};
