import { useSearchParams } from 'react-router-dom';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
  Select,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { CatalogFilterLayout } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { AlertStatus } from '@vigil/plugin-incidents-common';
import { useIncidentSignals } from '../../../hooks';
import { useAlertPages } from '../../../hooks/useAlertPages';
import { alertsSearch, AlertsLinkFilters } from '../../../hooks/useAlertsLink';
import { useIncidentRefs } from '../../../hooks/useIncidentRefs';
import { rootRouteRef } from '../../../routes';
import { AlertsTable } from '../AlertsTable';
import { ServiceFilter } from '../../incidents/IncidentFilters';

const PAGE_SIZE = 50;

const STATUS_ITEMS = [
  { label: 'All', value: 'all' },
  { label: 'Firing', value: 'firing' },
  { label: 'Resolved', value: 'resolved' },
];

function filtersFrom(params: URLSearchParams): AlertsLinkFilters {
  const status = params.get('status');
  return {
    status:
      status === 'firing' || status === 'resolved'
        ? (status as AlertStatus)
        : undefined,
    entityRef: params.get('entityRef') || undefined,
    incidentId: params.get('incidentId') || undefined,
    unmapped: params.get('unmapped') === 'true' || undefined,
  };
}

/**
 * Recent alerts at `/incidents/alerts`: status, severity, source, the
 * component each maps to and the incident it belongs to, newest first.
 * Filters live in the query string, so cards can link to a filtered view.
 */
export const AlertsPage = () => {
  const listLink = useRouteRef(rootRouteRef);
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const pages = useAlertPages(filters, PAGE_SIZE);
  const { reload } = pages;
  // Alerts open, join and resolve incidents; every such change reloads.
  useIncidentSignals(reload);
  const incident = useIncidentRefs([filters.incidentId])[
    filters.incidentId ?? ''
  ];

  const change = (patch: Partial<AlertsLinkFilters>) =>
    setParams(new URLSearchParams(alertsSearch({ ...filters, ...patch })), {
      replace: true,
    });

  const items = pages.items ?? [];
  return (
    <Page themeId="tool">
      <Header
        title="Alerts"
        subtitle="What monitoring sent, the component it maps to and the incident it belongs to"
        type="Incidents"
        typeLink={listLink()}
      />
      <Content>
        <ContentHeader title="Recent alerts">
          <SupportButton>
            Alerts from Alertmanager, PagerDuty Events v2 and generic senders,
            newest first. Unmapped alerts matched no catalog component.
          </SupportButton>
        </ContentHeader>
        <CatalogFilterLayout>
          <CatalogFilterLayout.Filters>
            <Box display="flex" flexDirection="column">
              <Select
                label="Status"
                items={STATUS_ITEMS}
                selected={filters.status ?? 'all'}
                onChange={value =>
                  change({
                    status:
                      value === 'all' ? undefined : (value as AlertStatus),
                  })
                }
                data-testid="alert-status-filter"
              />
              {!filters.unmapped && (
                <ServiceFilter
                  value={filters.entityRef}
                  onChange={entityRef => change({ entityRef })}
                />
              )}
              <FormControlLabel
                control={
                  <Checkbox
                    checked={Boolean(filters.unmapped)}
                    onChange={e =>
                      change({
                        unmapped: e.target.checked || undefined,
                        // an unmapped alert has no component to filter by
                        entityRef: e.target.checked
                          ? undefined
                          : filters.entityRef,
                      })
                    }
                  />
                }
                label="Unmapped only"
              />
              {filters.incidentId && (
                <Box mt={1}>
                  <Chip
                    label={`Incident ${incident?.ref ?? filters.incidentId}`}
                    onDelete={() => change({ incidentId: undefined })}
                  />
                </Box>
              )}
            </Box>
          </CatalogFilterLayout.Filters>
          <CatalogFilterLayout.Content>
            {pages.error && <ResponseErrorPanel error={pages.error} />}
            <AlertsTable
              title="Alerts"
              subtitle={
                pages.items
                  ? `${items.length}${pages.hasMore ? '+' : ''} shown`
                  : undefined
              }
              alerts={items}
              isLoading={pages.loading && !pages.items}
              reloading={pages.loading && Boolean(pages.items)}
              emptyText="No alerts match these filters."
              footer={
                <>
                  {!pages.hasMore && items.length > 0 && (
                    // Primary text: grey on the page background is 4.47:1.
                    <Typography variant="body2">
                      That is all of them.
                    </Typography>
                  )}
                  {pages.hasMore && (
                    <Button
                      variant="outlined"
                      disabled={pages.loadingMore || pages.loading}
                      onClick={pages.loadMore}
                    >
                      {pages.loadingMore ? 'Loading…' : 'Load more'}
                    </Button>
                  )}
                </>
              }
            />
          </CatalogFilterLayout.Content>
        </CatalogFilterLayout>
      </Content>
    </Page>
  );
};
