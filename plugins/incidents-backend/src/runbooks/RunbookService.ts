import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Alert,
  Incident,
  RUNBOOK_TEMPLATE_TAG,
  Runbooks,
} from '@vigil/plugin-incidents-common';
import { normalizeEntityRef } from '../lib/identity';
import { ConfiguredRunbook } from './config';
import {
  alertName,
  alertRunbooks,
  alertSubject,
  automationsFor,
  configRunbooks,
  entityRunbooks,
  mergeRunbooks,
} from './sources';

/** Most alerts of one incident read for their runbooks. */
const MAX_ALERTS = 200;

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.links',
  'metadata.annotations',
];

/**
 * Runbooks and runbook automations for an incident (its affected components
 * and its alerts) or for one component. Catalog reads use the caller's
 * credentials when the caller is a user, so nobody sees runbooks of
 * entities hidden from them.
 */
export class RunbookService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      /** The incident, if the caller may read it ("not found" otherwise). */
      getIncident: (
        id: string,
        credentials: BackstageCredentials,
      ) => Promise<Incident>;
      /** Throws unless the caller may read incidents (and so runbooks). */
      authorizeViewer: (
        credentials: BackstageCredentials,
        what: string,
      ) => Promise<void>;
      /** The alerts of (or that opened) an incident, newest first. */
      listAlerts: (query: {
        incidentId: string;
        limit: number;
      }) => Promise<Alert[]>;
      config: ConfiguredRunbook[];
    },
  ) {}

  async forIncident(
    idOrRef: string,
    credentials: BackstageCredentials,
  ): Promise<Runbooks> {
    const incident = await this.options.getIncident(idOrRef, credentials);
    return this.ofIncident(incident, credentials);
  }

  /**
   * The runbooks of an incident already read; without credentials (the
   * postmortem template) the catalog is read as the plugin.
   */
  async ofIncident(
    incident: Incident,
    credentials?: BackstageCredentials,
  ): Promise<Runbooks> {
    const alerts = await this.options.listAlerts({
      incidentId: incident.id,
      limit: MAX_ALERTS,
    });
    const components = [
      ...new Set([
        ...incident.affectedServices,
        ...alerts.flatMap(a => (a.entityRef ? [a.entityRef] : [])),
      ]),
    ];
    return this.collect(
      components,
      alerts,
      credentials ?? (await this.options.auth.getOwnServiceCredentials()),
      incident.ref,
    );
  }

  async forEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Runbooks> {
    await this.options.authorizeViewer(credentials, 'view runbooks');
    const ref = normalizeEntityRef(entityRef, 'component', 'entityRef');
    return this.collect([ref], [], credentials);
  }

  private async collect(
    components: string[],
    alerts: Alert[],
    credentials: BackstageCredentials,
    incidentRef?: string,
  ): Promise<Runbooks> {
    const catalogCredentials = await this.catalogCredentials(credentials);
    const [entities, templates] = await Promise.all([
      this.entities(components, catalogCredentials),
      this.templates(catalogCredentials),
    ]);
    const alertNames = [...new Set(alerts.map(alertName))];
    const runbooks = mergeRunbooks([
      ...entities.flatMap(entityRunbooks),
      ...alerts.flatMap(alertRunbooks),
      ...configRunbooks(this.options.config, components, alertNames),
    ]);
    const subjects = [...components, ...alerts.map(alertSubject)];
    return {
      runbooks,
      automations: automationsFor(templates, subjects, incidentRef),
    };
  }

  private async entities(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    if (refs.length === 0) return [];
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ENTITY_FIELDS },
      { credentials },
    );
    return items.filter((e): e is Entity => Boolean(e));
  }

  private async templates(credentials: BackstageCredentials) {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'template', 'metadata.tags': RUNBOOK_TEMPLATE_TAG },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.description',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    return items;
  }

  // Users read the catalog as themselves; services (tokens restricted to
  // this plugin) through the plugin, as incident validation does.
  private async catalogCredentials(credentials: BackstageCredentials) {
    const { auth } = this.options;
    return auth.isPrincipal(credentials, 'user')
      ? credentials
      : auth.getOwnServiceCredentials();
  }
}
