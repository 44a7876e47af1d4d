import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  SupportButton,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  POSTMORTEM_STATUSES,
  PostmortemStatus,
  PostmortemSummary,
} from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';
import { incidentsApiRef } from '../../../api';
import { useCatalogComponents, usePostmortemLink } from '../../../hooks';
import { formatTimestamp } from '../../../utils/format';
import {
  POSTMORTEM_STATUS_LABELS,
  PostmortemStatusLabel,
} from '../PostmortemStatusLabel';
import { SeverityChip } from '../../incidents/SeverityChip';

/**
 * Every postmortem, filterable by state and service and sortable by date,
 * at `/postmortems`.
 */
export const PostmortemsPage = () => {
  const api = useApi(incidentsApiRef);
  const link = usePostmortemLink();
  const { refs, titleOf } = useCatalogComponents();
  const [status, setStatus] = useState<PostmortemStatus | ''>('');
  const [service, setService] = useState('');
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.listPostmortems({
        status: status ? [status] : undefined,
        entityRef: service || undefined,
        limit: 500,
      }),
    [api, status, service],
  );

  const columns: TableColumn<PostmortemSummary>[] = [
    {
      title: 'Incident',
      field: 'incident.ref',
      render: p => {
        const to = link(p.incident.ref);
        return to ? <Link to={to}>{p.incident.ref}</Link> : p.incident.ref;
      },
    },
    { title: 'Title', field: 'title' },
    {
      title: 'State',
      field: 'status',
      render: p => <PostmortemStatusLabel status={p.status} />,
    },
    {
      title: 'Severity',
      field: 'incident.severity',
      render: p => <SeverityChip severity={p.incident.severity} />,
    },
    {
      title: 'Services',
      sorting: false,
      render: p => (
        <EntityRefLinks
          entityRefs={p.incident.affectedServices}
          defaultKind="component"
        />
      ),
    },
    {
      title: 'Incident opened',
      field: 'incident.openedAt',
      render: p => formatTimestamp(p.incident.openedAt),
    },
    {
      title: 'Updated',
      field: 'updatedAt',
      defaultSort: 'desc',
      render: p => formatTimestamp(p.updatedAt),
    },
    {
      title: 'Published',
      field: 'publishedAt',
      render: p => (p.publishedAt ? formatTimestamp(p.publishedAt) : '—'),
    },
  ];

  return (
    <Page themeId="tool">
      <Header
        title="Postmortems"
        subtitle="What we learned from each incident, and what we do about it"
      />
      <Content>
        <ContentHeader title="All postmortems">
          <SupportButton>
            Postmortems start from the template when a resolved incident moves
            to postmortem; admins publish them after review.
          </SupportButton>
        </ContentHeader>
        <Box display="flex" mb={2} style={{ gap: 16 }}>
          <TextField
            id="postmortem-status-filter"
            select
            label="State"
            style={{ minWidth: 160 }}
            value={status}
            onChange={e => setStatus(e.target.value as PostmortemStatus | '')}
          >
            <MenuItem value="">All</MenuItem>
            {POSTMORTEM_STATUSES.map(s => (
              <MenuItem key={s} value={s}>
                {POSTMORTEM_STATUS_LABELS[s]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="postmortem-service-filter"
            select
            label="Service"
            style={{ minWidth: 220 }}
            value={service}
            onChange={e => setService(e.target.value)}
          >
            <MenuItem value="">All</MenuItem>
            {refs.map(ref => (
              <MenuItem key={ref} value={ref}>
                {titleOf(ref)}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {error && (
          <LoadError
            error={error}
            title="Could not list postmortems"
            onRetry={retry}
          />
        )}
        {!error && loading && !value && (
          <LoadingSkeleton label="Loading postmortems" />
        )}
        {!error && value && (
          <Table<PostmortemSummary>
            title={`Postmortems (${value?.totalCount ?? 0})`}
            isLoading={loading}
            columns={columns}
            data={value?.items ?? []}
            options={{
              paging: true,
              pageSize: 20,
              search: true,
              padding: 'dense',
            }}
            emptyContent={<Box p={2}>No postmortems match these filters.</Box>}
          />
        )}
      </Content>
    </Page>
  );
};
