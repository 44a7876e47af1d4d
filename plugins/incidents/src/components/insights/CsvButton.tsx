import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { incidentsApiRef } from '../../api';
import { MetricName, MetricsQuery, OncallLoadQuery } from '../../api/types';
import { saveBlob } from '../../utils/download';
import { describeError } from '../../utils/errors';

/**
 * Downloads one metric as CSV with the page's filters. The request goes
 * through the fetch API (it carries the user's token), then the browser
 * saves the answer.
 */
export const CsvButton = (props: {
  metric: MetricName;
  query: MetricsQuery & OncallLoadQuery & { interval?: string };
  label: string;
}) => {
  const { metric, query, label } = props;
  const api = useApi(incidentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const csv = await api.getMetricsCsv(metric, query);
      saveBlob(
        new Blob([csv], { type: 'text/csv;charset=utf-8' }),
        `vigil-${metric}.csv`,
      );
    } catch (e) {
      alertApi.post({
        message: `Could not download the CSV: ${describeError(e)}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      startIcon={<GetAppIcon />}
      onClick={download}
      disabled={busy}
      aria-label={`Download ${label} as CSV`}
    >
      CSV
    </Button>
  );
};
