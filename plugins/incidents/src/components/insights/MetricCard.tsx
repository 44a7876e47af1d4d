import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import { LoadError } from '../shared/LoadError';
import { LoadingSkeleton } from '../shared/LoadingSkeleton';
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
      <LoadError
        error={state.error}
        title={`Could not load ${title.toLocaleLowerCase('en-US')}`}
        onRetry={state.retry}
      />
    );
  } else if (state.loading || state.value === undefined) {
    body = (
      <LoadingSkeleton
        variant="card"
        rows={6}
        label={`Loading ${title.toLocaleLowerCase('en-US')}`}
      />
    );
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
