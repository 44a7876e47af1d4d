import { useState } from 'react';
import { alertApiRef, fetchApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Button from '@material-ui/core/Button';
import EventIcon from '@material-ui/icons/Event';
import { saveBlob } from '../../../utils/download';

/**
 * Downloads an iCalendar feed of the backend. The feed needs the Backstage
 * token, so a plain link would not do: it is fetched with the fetch API and
 * handed to the browser as a Blob URL.
 */
export const CalendarDownloadButton = (props: {
  /** Resolves the feed's absolute URL. */
  getUrl: () => Promise<string>;
  fileName: string;
  label: string;
  /** The accessible name, when `label` alone is ambiguous. */
  ariaLabel?: string;
}) => {
  const { getUrl, fileName, label, ariaLabel } = props;
  const fetchApi = useApi(fetchApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    try {
      const res = await fetchApi.fetch(await getUrl());
      if (!res.ok) {
        throw await ResponseError.fromResponse(res);
      }
      saveBlob(await res.blob(), fileName);
    } catch (e) {
      alertApi.post({
        message: `Could not download the calendar: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      size="small"
      startIcon={<EventIcon />}
      onClick={download}
      disabled={busy}
      aria-label={ariaLabel}
    >
      {label}
    </Button>
  );
};
