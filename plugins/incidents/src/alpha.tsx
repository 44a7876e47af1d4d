import {
  ApiBlueprint,
  AppRootElementBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import WarningIcon from '@material-ui/icons/Warning';
import PhoneInTalkIcon from '@material-ui/icons/PhoneInTalk';
import DescriptionIcon from '@material-ui/icons/Description';
import InsertChartIcon from '@material-ui/icons/InsertChart';
import { incidentsApiRef, IncidentsClient } from './api';
import {
  alertsRouteRef,
  statusPageRouteRef,
  incidentDetailsRouteRef,
  oncallRouteRef,
  postmortemRouteRef,
  postmortemsRouteRef,
  insightsRouteRef,
  rootRouteRef,
} from './routes';
import { z } from 'zod';
import { KeyboardShortcuts } from './components/shortcuts/KeyboardShortcuts';

/** @alpha */
export const incidentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: incidentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IncidentsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `app-root-element:incidents/keyboard-shortcuts`: the `?` overlay and the
 * `g i` / `g o` / `g p` navigation, mounted once for the whole app.
 * @alpha
 */
export const keyboardShortcutsElement = AppRootElementBlueprint.make({
  name: 'keyboard-shortcuts',
  params: {
    element: <KeyboardShortcuts />,
  },
});

/**
 * The incidents list at `/incidents`, each war room and the alerts
 * (`/incidents/alerts`) below it.
 * @alpha
 */
export const incidentsPage = PageBlueprint.make({
  params: {
    path: '/incidents',
    title: 'Incidents',
    icon: <WarningIcon />,
    routeRef: rootRouteRef,
    // The pages bring their own header with incident details.
    noHeader: true,
    loader: () =>
      import('./components/incidents/IncidentsPage').then(m => (
        <m.IncidentsPage />
      )),
  },
});

/**
 * `page:incidents/oncall`: who is on call and the next hand-offs at `/oncall`.
 * @alpha
 */
export const oncallPage = PageBlueprint.make({
  name: 'oncall',
  params: {
    path: '/oncall',
    title: 'On-call',
    icon: <PhoneInTalkIcon />,
    routeRef: oncallRouteRef,
    // The page brings its own "On-call" header.
    noHeader: true,
    loader: () =>
      import('./components/oncall/OncallPage').then(m => <m.OncallPage />),
  },
});

/**
 * `page:incidents/postmortems`: every postmortem by state, service and date,
 * at `/postmortems`.
 * @alpha
 */
export const postmortemsPage = PageBlueprint.make({
  name: 'postmortems',
  params: {
    path: '/postmortems',
    title: 'Postmortems',
    icon: <DescriptionIcon />,
    routeRef: postmortemsRouteRef,
    // The page brings its own "Postmortems" header.
    noHeader: true,
    loader: () =>
      import('./components/postmortems/PostmortemsPage').then(m => (
        <m.PostmortemsPage />
      )),
  },
});

/**
 * `page:incidents/insights`: response metrics, SLA compliance, change
 * failure and on-call load at `/insights`.
 * @alpha
 */
export const insightsPage = PageBlueprint.make({
  name: 'insights',
  params: {
    path: '/insights',
    title: 'Insights',
    icon: <InsertChartIcon />,
    routeRef: insightsRouteRef,
    // The page brings its own "Insights" header.
    noHeader: true,
    loader: () => import('./components/insights').then(m => <m.InsightsPage />),
  },
});

/**
 * `entity-content:incidents/insights`: an "Insights" tab on a component's
 * page with its response metrics, SLA compliance and change failure.
 * @alpha
 */
export const insightsEntityContent = EntityContentBlueprint.make({
  name: 'insights',
  params: {
    path: 'insights',
    title: 'Insights',
    filter: 'kind:component',
    loader: () =>
      import('./components/insights').then(m => <m.EntityInsightsContent />),
  },
});

/**
 * `entity-card:incidents/oncall`: who is on call for a component now.
 * @alpha
 */
export const oncallEntityCard = EntityCardBlueprint.make({
  name: 'oncall',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/oncall/EntityOnCallCard').then(m => (
        <m.EntityOnCallCard />
      )),
  },
});

/**
 * `entity-card:incidents/runbooks`: a component's runbooks and runbook
 * automations.
 * @alpha
 */
export const runbooksEntityCard = EntityCardBlueprint.make({
  name: 'runbooks',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/runbooks/EntityRunbooksCard').then(m => (
        <m.EntityRunbooksCard />
      )),
  },
});

/**
 * `home-page-widget:incidents/oncall`: my open pages with an Acknowledge
 * button, and who is on call now. Place it with the component name
 * `HomePageOnCallCard` in `page:home`'s `defaultConfig`.
 * @alpha
 */
export const oncallHomePageWidget = HomePageWidgetBlueprint.make({
  name: 'oncall',
  params: {
    name: 'HomePageOnCallCard',
    title: 'On call',
    description: 'My open pages and who is on call now',
    layout: {
      width: { minColumns: 4, defaultColumns: 6 },
      height: { minRows: 4, defaultRows: 6 },
    },
    components: () =>
      import('./components/oncall/OncallHomeCard').then(m => ({
        Content: m.OncallHomeCardContent,
      })),
  },
});

/**
 * `home-page-widget:incidents/active-incidents`: the most severe active
 * incidents and "Declare incident". Component name
 * `HomePageActiveIncidentsCard` in `page:home`'s `defaultConfig`.
 * @alpha
 */
export const activeIncidentsHomePageWidget = HomePageWidgetBlueprint.make({
  name: 'active-incidents',
  params: {
    name: 'HomePageActiveIncidentsCard',
    title: 'Active incidents',
    description: 'The most severe active incidents, and Declare incident',
    layout: {
      width: { minColumns: 4, defaultColumns: 6 },
      height: { minRows: 3, defaultRows: 5 },
    },
    components: () =>
      import('./components/incidents/ActiveIncidentsCard').then(m => ({
        Content: m.ActiveIncidentsCardContent,
      })),
  },
});

/**
 * `entity-card:incidents/active-banner`: on a component with active
 * incidents, a banner naming them; nothing otherwise.
 * @alpha
 */
export const activeIncidentBannerEntityCard = EntityCardBlueprint.make({
  name: 'active-banner',
  params: {
    filter: 'kind:component',
    loader: () =>
      import('./components/entity/EntityActiveIncidentBanner').then(m => (
        <m.EntityActiveIncidentBanner />
      )),
  },
});

/**
 * `entity-card:incidents/incidents`: a component's active and recent
 * incidents and firing alerts. Configurable with `readOnly`, `recentLimit`,
 * `showRecent` and `showAlerts`.
 * @alpha
 */
export const incidentsEntityCard = EntityCardBlueprint.makeWithOverrides({
  name: 'incidents',
  configSchema: {
    readOnly: z.boolean().default(false),
    recentLimit: z.number().int().positive().default(5),
    showRecent: z.boolean().default(true),
    showAlerts: z.boolean().default(true),
    showPostmortems: z.boolean().default(true),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      filter: 'kind:component',
      loader: () =>
        import('./components/entity/EntityIncidentsCard').then(m => (
          <m.EntityIncidentsCard
            readOnly={config.readOnly}
            recentLimit={config.recentLimit}
            showRecent={config.showRecent}
            showAlerts={config.showAlerts}
            showPostmortems={config.showPostmortems}
          />
        )),
    });
  },
});

/**
 * `entity-content:incidents/incidents`: an "Incidents" tab on component pages.
 * @alpha
 */
export const incidentsEntityContent = EntityContentBlueprint.make({
  name: 'incidents',
  params: {
    path: 'incidents',
    title: 'Incidents',
    filter: 'kind:component',
    loader: () =>
      import('./components/entity/EntityIncidentsContent').then(m => (
        <m.EntityIncidentsContent />
      )),
  },
});

/**
 * The Vigil incidents plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'incidents',
  title: 'Incidents',
  icon: <WarningIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    details: incidentDetailsRouteRef,
    alerts: alertsRouteRef,
    statusPage: statusPageRouteRef,
    oncall: oncallRouteRef,
    postmortem: postmortemRouteRef,
    postmortems: postmortemsRouteRef,
    insights: insightsRouteRef,
  },
  extensions: [
    incidentsApi,
    keyboardShortcutsElement,
    incidentsPage,
    activeIncidentBannerEntityCard,
    activeIncidentsHomePageWidget,
    incidentsEntityCard,
    incidentsEntityContent,
    oncallPage,
    oncallEntityCard,
    runbooksEntityCard,
    oncallHomePageWidget,
    postmortemsPage,
    insightsPage,
    insightsEntityContent,
  ],
});
