import { ReactNode } from 'react';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { MetricName, MetricsQuery, OncallLoadQuery } from '../../api/types';
import { CsvButton } from './CsvButton';

/**
 * A card of the Insights page: its title, a CSV download with the page's
 * filters, and the figures once loaded (one error with Retry otherwise).
 */
export function MetricCard<T>(props: {
  title: string;
  subheader?: string;
  metric: MetricName;
  query: MetricsQuery & OncallLoadQuery & { interval?: string };
  state: { loading: boolean; error?: Error; value?: T; retry: () => void };
  children: (value: T) => ReactNode;
}) {
  const { title, subheader, metric, query, state, children } = props;
  let body: ReactNode;
  if (state.error) {
    body = (
      <>
        <ResponseErrorPanel error={state.error} />
        <Box mt={1}>
          <Button variant="outlined" onClick={state.retry}>
            Retry
          </Button>
        </Box>
      </>
    );
  } else if (state.loading || state.value === undefined) {
    body = <Progress />;
  } else {
    body = children(state.value);
  }
  return (
    <InfoCard
      title={title}
      subheader={subheader}
      action={<CsvButton metric={metric} query={query} label={title} />}
    >
      {body}
    </InfoCard>
  );
}
