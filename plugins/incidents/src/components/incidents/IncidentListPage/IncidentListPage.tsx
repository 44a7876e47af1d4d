import {
  Content,
  ContentHeader,
  Header,
  LinkButton,
  Page,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import { alertsRouteRef } from '../../../routes';
import { IncidentsTable } from '../IncidentsTable';
import { NewIncidentButton } from '../NewIncidentButton';

/**
 * The incidents list at `/incidents`: active incidents, most severe first.
 */
export const IncidentListPage = () => {
  const alertsLink = useRouteRef(alertsRouteRef);
  return (
    <Page themeId="tool">
      <Header
        title="Incidents"
        subtitle="Incidents, on-call and postmortems for your catalog"
      />
      <Content>
        <ContentHeader title="Triage">
          <LinkButton
            to={alertsLink()}
            variant="outlined"
            startIcon={<NotificationsActiveIcon />}
          >
            Alerts
          </LinkButton>
          <NewIncidentButton shortcut />
          <SupportButton>
            Open incidents, follow them live and work them in their war room.
          </SupportButton>
        </ContentHeader>
        <IncidentsTable notify />
      </Content>
    </Page>
  );
};
