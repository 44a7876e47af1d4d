import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { BackendHealthCard } from './BackendHealthCard';

/**
 * The Vigil home page.
 * @public
 */
export const IncidentsPage = () => (
  <Page themeId="tool">
    <Header
      title="Vigil"
      subtitle="Incidents, on-call and postmortems for your catalog"
    />
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <BackendHealthCard />
        </Grid>
      </Grid>
    </Content>
  </Page>
);
