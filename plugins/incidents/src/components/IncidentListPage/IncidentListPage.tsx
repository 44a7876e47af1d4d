import {
  Content,
  ContentHeader,
  Header,
  Page,
  SupportButton,
} from '@backstage/core-components';
import { BackendHealthCard } from '../BackendHealthCard';
import { IncidentsTable } from '../IncidentsTable';
import { NewIncidentButton } from '../NewIncidentButton';

/**
 * The incidents list at `/incidents`, with the backend's health underneath.
 */
export const IncidentListPage = () => (
  <Page themeId="tool">
    <Header
      title="Incidents"
      subtitle="Incidents, on-call and postmortems for your catalog"
    />
    <Content>
      <ContentHeader title="All incidents">
        <NewIncidentButton />
        <SupportButton>
          Open incidents, follow them live and work them in their war room.
        </SupportButton>
      </ContentHeader>
      <IncidentsTable notify />
      <BackendHealthCard variant="compact" />
    </Content>
  </Page>
);
