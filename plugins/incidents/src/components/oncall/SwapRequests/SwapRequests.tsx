import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { incidentsApiRef, SwapRequest } from '../../../api';
import { describeError } from '../../../utils/errors';
import { formatTimestamp } from '../../../utils/format';
import { PersonName } from '../../shared/PersonName';

/**
 * The signed-in user's pending swap requests: offered to them (accept or
 * decline) and made by them (cancel). Nothing when there are none.
 */
export const SwapRequests = (props: {
  me: string;
  swaps: SwapRequest[];
  scheduleNames: Record<string, string>;
  /** After a decision: reload the page's data. */
  onChanged: () => void;
}) => {
  const { me, swaps, scheduleNames, onChanged } = props;
  const api = useApi(incidentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState<string>();
  if (swaps.length === 0) {
    return null;
  }
  const decide = async (
    swap: SwapRequest,
    decision: 'accept' | 'decline' | 'cancel',
  ) => {
    setBusy(swap.id);
    try {
      const decided = await api.decideScheduleSwap(
        swap.scheduleId,
        swap.id,
        decision,
      );
      alertApi.post({
        message: `Swap ${decided.status}`,
        severity: 'success',
        display: 'transient',
      });
      onChanged();
    } catch (e) {
      alertApi.post({
        message: `Could not ${decision} the swap: ${describeError(e)}`,
        severity: 'error',
      });
    } finally {
      setBusy(undefined);
    }
  };
  const when = (swap: SwapRequest) =>
    `${
      scheduleNames[swap.scheduleId] ?? swap.scheduleId
    } from ${formatTimestamp(swap.start)} to ${formatTimestamp(swap.end)}`;
  return (
    <Box mb={3}>
      <InfoCard title="Swap requests">
        <Box
          component="ul"
          aria-label="Swap requests"
          m={0}
          p={0}
          style={{ listStyle: 'none' }}
        >
          {swaps.map(swap => (
            <Box
              component="li"
              key={swap.id}
              display="flex"
              flexWrap="wrap"
              alignItems="center"
              py={1}
              style={{ gap: 8 }}
            >
              <Box flex="1 1 260px" minWidth={0}>
                {swap.target === me ? (
                  <Typography variant="body2">
                    <PersonName actor={swap.requester} /> asks you to take{' '}
                    {when(swap)}
                    {swap.reason ? ` (${swap.reason})` : ''}.
                  </Typography>
                ) : (
                  <Typography variant="body2">
                    You offered {when(swap)} to{' '}
                    <PersonName actor={swap.target} />; waiting for an answer.
                  </Typography>
                )}
              </Box>
              {swap.target === me ? (
                <>
                  <Button
                    color="primary"
                    variant="contained"
                    size="small"
                    disabled={busy === swap.id}
                    aria-label={`Accept ${when(swap)}`}
                    onClick={() => decide(swap, 'accept')}
                  >
                    Accept
                  </Button>
                  <Button
                    size="small"
                    disabled={busy === swap.id}
                    aria-label={`Decline ${when(swap)}`}
                    onClick={() => decide(swap, 'decline')}
                  >
                    Decline
                  </Button>
                </>
              ) : (
                <Button
                  size="small"
                  disabled={busy === swap.id}
                  aria-label={`Cancel request ${when(swap)}`}
                  onClick={() => decide(swap, 'cancel')}
                >
                  Cancel request
                </Button>
              )}
            </Box>
          ))}
        </Box>
      </InfoCard>
    </Box>
  );
};
