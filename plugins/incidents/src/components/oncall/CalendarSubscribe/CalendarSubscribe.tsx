import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Link from '@material-ui/core/Link';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import SubscriptionsIcon from '@material-ui/icons/Subscriptions';
import { incidentsApiRef } from '../../../api';

async function copy(text: string) {
  if (!navigator.clipboard) {
    throw new Error('the browser gives no clipboard here');
  }
  await navigator.clipboard.writeText(text);
}

/**
 * A calendar subscription: the first click fetches the user's secret
 * webcal:// link to the feed and copies it; the link then stays shown (for
 * apps that want the https form, and to copy again).
 */
export const CalendarSubscribe = (props: {
  /** The schedule's feed; without it, the user's own shifts. */
  scheduleId?: string;
  /** What the feed is, for accessible names ("SRE primary"). */
  name: string;
}) => {
  const { scheduleId, name } = props;
  const api = useApi(incidentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [link, setLink] = useState<{ url: string; webcal: string }>();
  const [busy, setBusy] = useState(false);

  const copyLink = async (text: string) => {
    try {
      await copy(text);
      alertApi.post({
        message: `Subscription link of ${name} copied`,
        severity: 'success',
        display: 'transient',
      });
    } catch (e) {
      alertApi.post({
        message: `Could not copy the link (${
          (e as Error).message
        }); select it and copy it by hand`,
        severity: 'warning',
        display: 'transient',
      });
    }
  };

  const subscribe = async () => {
    setBusy(true);
    try {
      const got = await api.getCalendarSubscription(scheduleId);
      setLink(got);
      await copyLink(got.webcal);
    } catch (e) {
      alertApi.post({
        message: `Could not get the subscription link: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  if (!link) {
    return (
      <Button
        size="small"
        startIcon={<SubscriptionsIcon />}
        onClick={subscribe}
        disabled={busy}
        aria-label={`Subscribe to ${name}`}
        title="Copies a webcal:// link for your calendar app"
      >
        Subscribe
      </Button>
    );
  }
  return (
    <Box display="flex" alignItems="center" style={{ gap: 4 }} minWidth={0}>
      <TextField
        size="small"
        variant="outlined"
        value={link.webcal}
        id={`calendar-link-${scheduleId ?? 'mine'}`}
        label="Subscription link"
        InputProps={{ readOnly: true }}
        inputProps={{ 'aria-label': `Subscription link of ${name}` }}
        onFocus={e => e.target.select()}
        style={{ flex: 1, minWidth: 0 }}
      />
      <Tooltip title="Copy">
        <IconButton
          size="small"
          aria-label={`Copy subscription link of ${name}`}
          onClick={() => copyLink(link.webcal)}
        >
          <FileCopyIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Link href={link.webcal} variant="body2">
        Open
      </Link>
    </Box>
  );
};
