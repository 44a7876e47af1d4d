import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { statusPageMaintenancePermission } from '@vigil/plugin-incidents-common';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { isUuid } from '../incidents/refs';
import { actorOf, normalizeEntityRef } from '../lib/identity';
import { StatusPageConfig } from './config';
import { effectiveMaintenanceStatus, isUnderMaintenance } from './rules';
import {
  Maintenance,
  MaintenanceStatus,
  StatusPageStore,
} from './StatusPageStore';

const DAY_MS = 86_400_000;

/** The public text of each move of a window when nobody wrote one. */
const MOVE_TEXT: Record<MaintenanceStatus, string> = {
  scheduled: 'Maintenance is scheduled.',
  in_progress: 'Scheduled maintenance is in progress.',
  verifying: 'Maintenance is done; we are verifying the results.',
  completed: 'Scheduled maintenance has been completed.',
};

/** Moves a window may make, from its effective status. */
const MOVES: Record<MaintenanceStatus, MaintenanceStatus[]> = {
  scheduled: ['in_progress', 'completed'],
  in_progress: ['verifying', 'completed'],
  verifying: ['in_progress', 'completed'],
  completed: [],
};

/** A window as people send it. */
export interface MaintenanceInput {
  name?: string;
  message?: string;
  components?: string[];
  scheduledFor?: string;
  scheduledUntil?: string;
  status?: MaintenanceStatus;
}

/**
 * Scheduled maintenance: windows per component, shown ahead of time, whose
 * components are under maintenance while they run (and whose alerts are
 * silenced then). Changing them needs `incidents.statuspage.maintenance`.
 */
export class MaintenanceService {
  private readonly listed: Set<string>;

  constructor(
    private readonly options: {
      store: StatusPageStore;
      authorizer: IncidentAuthorizer;
      config: StatusPageConfig;
      now?: () => Date;
    },
  ) {
    this.listed = new Set(options.config.components.map(c => c.entityRef));
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** Windows not yet over (and those ended within the last day), soonest first. */
  async list() {
    const now = this.now();
    const items = await this.options.store.listMaintenance({
      endsAfter: new Date(now.getTime() - DAY_MS),
      limit: 100,
    });
    return items.map(m => ({
      ...m,
      status: effectiveMaintenanceStatus(m, now),
    }));
  }

  async create(input: MaintenanceInput, credentials: BackstageCredentials) {
    await this.authorize(credentials);
    const name = input.name?.trim();
    if (!name) {
      throw new InputError('name: a maintenance window needs a name');
    }
    const components = this.components(input.components ?? []);
    if (components.length === 0) {
      throw new InputError(
        'components: name at least one component of the status page',
      );
    }
    const { scheduledFor, scheduledUntil } = this.window(input, undefined);
    const maintenance = await this.options.store.createMaintenance(
      {
        name,
        body: input.message?.trim() || undefined,
        status: 'scheduled',
        scheduledFor,
        scheduledUntil,
        createdBy: actorOf(credentials),
        components,
      },
      {
        status: 'scheduled',
        body: input.message?.trim() || MOVE_TEXT.scheduled,
      },
      this.now(),
    );
    return {
      ...maintenance,
      status: effectiveMaintenanceStatus(maintenance, this.now()),
    };
  }

  async update(
    id: string,
    input: MaintenanceInput,
    credentials: BackstageCredentials,
  ) {
    await this.authorize(credentials);
    const current = isUuid(id)
      ? await this.options.store.getMaintenance(id)
      : undefined;
    if (!current) {
      throw new NotFoundError(`Maintenance '${id}' not found`);
    }
    const now = this.now();
    const from = effectiveMaintenanceStatus(current, now);
    if (from === 'completed') {
      throw new ConflictError(`Maintenance '${current.name}' is completed`);
    }
    if (
      input.status &&
      input.status !== from &&
      !MOVES[from].includes(input.status)
    ) {
      throw new ConflictError(
        `Cannot move maintenance from '${from}' to '${
          input.status
        }'; allowed: ${MOVES[from].join(', ')}`,
      );
    }
    const moving =
      input.status && input.status !== from ? input.status : undefined;
    const window =
      input.scheduledFor || input.scheduledUntil
        ? this.window(input, current)
        : {};
    const updated = await this.options.store.updateMaintenance(
      id,
      {
        ...(input.name?.trim() ? { name: input.name.trim() } : {}),
        ...window,
        ...(input.components
          ? { components: this.components(input.components) }
          : {}),
        ...(moving ? { status: moving } : {}),
        ...(moving === 'in_progress' && !current.startedAt
          ? { startedAt: now }
          : {}),
        ...(moving === 'completed' ? { completedAt: now } : {}),
      },
      moving || input.message?.trim()
        ? {
            status: moving ?? from,
            body: input.message?.trim() || MOVE_TEXT[moving ?? from],
          }
        : undefined,
      now,
    );
    return { ...updated, status: effectiveMaintenanceStatus(updated, now) };
  }

  /** The windows putting a component under maintenance at `at`. */
  async underMaintenance(
    entityRef: string,
    at: Date,
  ): Promise<Maintenance | undefined> {
    if (!this.options.config.enabled) return undefined;
    const covering = await this.options.store.maintenanceCovering(
      entityRef,
      at,
    );
    return covering.find(m => isUnderMaintenance(m, at));
  }

  private window(input: MaintenanceInput, current: Maintenance | undefined) {
    const parse = (value: string | undefined, field: string) => {
      if (value === undefined) return undefined;
      const time = new Date(value);
      if (Number.isNaN(time.getTime())) {
        throw new InputError(`${field}: '${value}' is not a date-time`);
      }
      return time;
    };
    const start =
      parse(input.scheduledFor, 'scheduledFor') ??
      (current ? new Date(current.scheduledFor) : undefined);
    const end =
      parse(input.scheduledUntil, 'scheduledUntil') ??
      (current ? new Date(current.scheduledUntil) : undefined);
    if (!start || !end) {
      throw new InputError('scheduledFor and scheduledUntil are required');
    }
    if (end <= start) {
      throw new InputError('scheduledUntil must be after scheduledFor');
    }
    if (end.getTime() - start.getTime() > 30 * DAY_MS) {
      throw new InputError('A maintenance window lasts at most 30 days');
    }
    const now = this.now().getTime();
    if (start.getTime() > now + 366 * DAY_MS || end.getTime() < now - DAY_MS) {
      throw new InputError(
        'A maintenance window must end after yesterday and start within a year',
      );
    }
    return {
      scheduledFor: start.toISOString(),
      scheduledUntil: end.toISOString(),
    };
  }

  private components(refs: string[]): string[] {
    return [
      ...new Set(
        refs.map((ref, i) => {
          const entityRef = normalizeEntityRef(
            ref,
            'component',
            `components[${i}]`,
          );
          if (!this.listed.has(entityRef)) {
            throw new InputError(
              `components[${i}]: '${entityRef}' is not a component of the status page (incidents.statusPage.components)`,
            );
          }
          return entityRef;
        }),
      ),
    ];
  }

  private authorize(credentials: BackstageCredentials) {
    return this.options.authorizer.authorizeBasic(
      statusPageMaintenancePermission,
      credentials,
      'schedule or change maintenance',
    );
  }
}
