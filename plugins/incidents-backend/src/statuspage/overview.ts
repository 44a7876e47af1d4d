import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { StatusPageOverview } from '@vigil/plugin-incidents-common';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { StatusPageConfig } from './config';
import { PublicStatusPage } from './PublicStatusPage';

/** The status page as the portal's admin view and entity card show it. */
export class StatusPageOverviews {
  constructor(
    private readonly options: {
      config: StatusPageConfig;
      page: PublicStatusPage;
      authorizer: IncidentAuthorizer;
    },
  ) {}

  /** Whoever may view incidents may see the page's state. */
  async assertMayView(credentials: BackstageCredentials) {
    await this.options.authorizer.readFilter(credentials);
  }

  async overview(
    credentials: BackstageCredentials,
  ): Promise<StatusPageOverview> {
    await this.assertMayView(credentials);
    const { config, page } = this.options;
    if (!config.enabled) {
      return {
        enabled: false,
        name: config.name,
        pageUrl: page.pageUrl,
        indicator: 'none',
        description: 'The status page is not enabled',
        components: [],
      };
    }
    const snapshot = await page.snapshot();
    const uptime = new Map(snapshot.uptime.map(u => [u.entityRef, u]));
    return {
      enabled: true,
      name: config.name,
      pageUrl: page.pageUrl,
      indicator: snapshot.status.indicator as StatusPageOverview['indicator'],
      description: snapshot.status.description,
      components: config.components.map((c, i) => ({
        entityRef: c.entityRef,
        name: snapshot.components[i].name,
        ...(c.group ? { group: c.group } : {}),
        status: snapshot.components[i].status,
        uptimePercent: uptime.get(c.entityRef)?.uptimePercent ?? 100,
      })),
    };
  }
}
