/*
 * Response metrics, SLA compliance, change failure and on-call load.
 *
 * Definitions (the README and the spec say the same):
 * - Times are from `openedAt` to `acknowledgedAt` (time to acknowledge),
 *   `mitigatedAt` and `resolvedAt`; an incident that skipped a state has no
 *   value for it. Cancelled incidents, merged children and incidents marked
 *   "exclude from metrics" are left out. The range is by `openedAt`.
 * - SLA: acknowledged by its severity's target (a duration, or the close of
 *   the next business day); not acknowledged and past it is a breach; not
 *   acknowledged and not yet due is pending, in neither share.
 * - Everything is narrowed by the caller's read permission like the list.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { SEVERITIES, Severity } from '@vigil/plugin-incidents-common';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { StampedCache } from '../lib/StampedCache';
import { IncidentReader, IncidentSelection } from '../incidents/IncidentStore';
import { BucketInterval, buckets, nextBusinessDayDeadlines } from './calendar';
import { MetricsConfig } from './config';
import {
  DatabaseInsightsStore,
  DurationStats,
  Metric,
} from './DatabaseInsightsStore';

const DAY_MS = 86_400_000;
const ceilMinute = (d: Date) =>
  new Date(Math.ceil(d.getTime() / 60_000) * 60_000);
const EMPTY: DurationStats = { count: 0, mean: null, median: null, p90: null };
const METRICS: Metric[] = [
  'timeToAcknowledge',
  'timeToMitigate',
  'timeToResolve',
];

/** count, mean, median and p90 of a store row, or none. */
function pickStats(row?: DurationStats): DurationStats {
  if (!row) return EMPTY;
  const { count, mean, median, p90 } = row;
  return { count, mean, median, p90 };
}

/** The filters every metric takes. */
export interface MetricsQuery {
  from?: string;
  to?: string;
  severity?: Severity[];
  entityRef?: string;
  owner?: string[];
}

/** Computes the metrics; see the module comment. */
export class InsightsService {
  constructor(
    private readonly options: {
      store: DatabaseInsightsStore;
      reader: IncidentReader;
      authorizer: IncidentAuthorizer;
      config: MetricsConfig;
      now?: () => Date;
    },
  ) {}

  /**
   * Figures with the change stamp they were computed at: reused, exactly,
   * while no incident write that can change them has committed (on any
   * replica), so a dashboard refreshing the same view costs one read.
   */
  private readonly cache = new StampedCache<unknown>(200);

  private now() {
    return this.options.now?.() ?? new Date();
  }

  private async cached<T>(key: unknown[], compute: () => Promise<T>) {
    const stamp = await this.options.reader.changeStamp();
    return this.cache.getOrCompute(JSON.stringify(key), stamp, compute);
  }

  get config() {
    return this.options.config;
  }

  /** The range asked for (default: the last 90 days), validated. */
  range(query: Pick<MetricsQuery, 'from' | 'to'>): { from: Date; to: Date } {
    const parse = (value: string | undefined, field: string) => {
      if (value === undefined) return undefined;
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) {
        throw new InputError(`${field}: '${value}' is not a date-time`);
      }
      return date;
    };
    // By default the end of the current minute: the same view for a
    // minute (and its cached figures), and nothing opened so far is left out.
    const to = parse(query.to, 'to') ?? ceilMinute(this.now());
    const from =
      parse(query.from, 'from') ?? new Date(to.getTime() - 90 * DAY_MS);
    if (from >= to) {
      throw new InputError('from must be before to');
    }
    if (to.getTime() - from.getTime() > 731 * DAY_MS) {
      throw new InputError('The range is at most two years');
    }
    return { from, to };
  }

  async summary(query: MetricsQuery, credentials: BackstageCredentials) {
    const selection = await this.selection(query, credentials);
    const { counts, stats } = await this.cached(['summary', selection], () =>
      this.options.store.summary(selection),
    );
    const statsOf = (group: string) =>
      Object.fromEntries(
        METRICS.map(metric => [
          metric,
          pickStats(stats.find(s => s.metric === metric && s.group === group)),
        ]),
      ) as Record<Metric, DurationStats>;
    const severities = query.severity?.length ? query.severity : SEVERITIES;
    return {
      overall: {
        count: [...counts.values()].reduce((a, b) => a + b, 0),
        ...statsOf('all'),
      },
      bySeverity: severities.map(severity => ({
        severity,
        count: counts.get(severity) ?? 0,
        ...statsOf(severity),
      })),
    };
  }

  async frequency(
    query: MetricsQuery & { interval?: BucketInterval },
    credentials: BackstageCredentials,
  ) {
    const selection = await this.selection(query, credentials);
    const interval = query.interval ?? 'week';
    return this.cached(['frequency', selection, interval], () =>
      this.computeFrequency(query, selection, interval),
    );
  }

  private async computeFrequency(
    query: MetricsQuery,
    selection: IncidentSelection,
    interval: BucketInterval,
  ) {
    const { from, to } = this.range(query);
    const list = buckets(from, to, interval, this.options.config.timeZone);
    const rows = await this.options.store.frequency(selection, list);
    const severities = query.severity?.length ? query.severity : SEVERITIES;
    return {
      interval,
      timeZone: this.options.config.timeZone,
      buckets: list.map((bucket, i) => {
        const counts = Object.fromEntries(
          severities.map(s => [
            s,
            rows.find(r => r.bucket === i && r.severity === s)?.count ?? 0,
          ]),
        ) as Record<Severity, number>;
        return {
          label: bucket.label,
          start: bucket.start.toISOString(),
          end: bucket.end.toISOString(),
          counts,
          total: Object.values(counts).reduce((a, b) => a + b, 0),
        };
      }),
    };
  }

  async sla(query: MetricsQuery, credentials: BackstageCredentials) {
    const selection = await this.selection(query, credentials);
    // Pending incidents turn into breaches as time passes: within a minute
    // the figures are reused.
    const minute = Math.floor(this.now().getTime() / 60_000);
    return this.cached(['sla', selection, minute], () =>
      this.computeSla(query, selection),
    );
  }

  private async computeSla(query: MetricsQuery, selection: IncidentSelection) {
    const { config } = this.options;
    const { from, to } = this.range(query);
    const fixedMs = new Map<string, number>();
    for (const severity of SEVERITIES) {
      const target = config.responseTargets[severity];
      if (target !== 'next-business-day') fixedMs.set(severity, target.ms);
    }
    const usesDays = SEVERITIES.some(
      s => config.responseTargets[s] === 'next-business-day',
    );
    const days = usesDays
      ? nextBusinessDayDeadlines(
          from,
          to,
          config.businessHours,
          config.timeZone,
        )
      : [];
    const now = this.now();
    const result = await this.options.store.sla(
      selection,
      { fixedMs, days, zone: config.timeZone },
      now,
    );
    const severities = query.severity?.length ? query.severity : SEVERITIES;
    const share = (met: number, breached: number) =>
      met + breached
        ? Math.round((met / (met + breached)) * 10_000) / 100
        : null;
    const bySeverity = severities.map(severity => {
      const row = result.bySeverity.find(r => r.severity === severity);
      const met = row?.met ?? 0;
      const breached = row?.breached ?? 0;
      const target = config.responseTargets[severity];
      return {
        severity,
        target:
          target === 'next-business-day'
            ? 'next-business-day'
            : `${target.ms / 1000}s`,
        count: row?.count ?? 0,
        met,
        breached,
        pending: (row?.count ?? 0) - met - breached,
        compliance: share(met, breached),
      };
    });
    const met = bySeverity.reduce((a, r) => a + r.met, 0);
    const breached = bySeverity.reduce((a, r) => a + r.breached, 0);
    const summaries = await this.options.reader.summaries(
      result.breaches.map(b => b.id),
    );
    return {
      overall: { met, breached, compliance: share(met, breached) },
      bySeverity,
      breaches: result.breaches.flatMap(b => {
        const incident = summaries.get(b.id);
        if (!incident) return [];
        return [
          {
            id: b.id,
            ref: incident.ref,
            title: incident.title,
            severity: incident.severity,
            openedAt: b.openedAt.toISOString(),
            acknowledgedAt: b.acknowledgedAt?.toISOString(),
            deadline: b.deadline.toISOString(),
            lateSeconds: Math.round(
              ((b.acknowledgedAt ?? now).getTime() - b.deadline.getTime()) /
                1000,
            ),
          },
        ];
      }),
    };
  }

  async changeFailure(query: MetricsQuery, credentials: BackstageCredentials) {
    const selection = await this.selection(query, credentials);
    const items = await this.cached(['change-failure', selection], () =>
      this.options.store.changeFailure(selection),
    );
    return {
      items: items
        .map(i => ({
          ...i,
          changeLinkedShare: i.incidents
            ? Math.round((i.changeLinked / i.incidents) * 10_000) / 100
            : 0,
        }))
        .sort(
          (a, b) =>
            b.changeLinked - a.changeLinked ||
            a.entityRef.localeCompare(b.entityRef),
        ),
    };
  }

  /** The incidents a query and the caller's read permission select. */
  async selection(
    query: MetricsQuery,
    credentials: BackstageCredentials,
  ): Promise<IncidentSelection> {
    const { criteria } = await this.options.authorizer.readFilter(credentials);
    const { from, to } = this.range(query);
    return {
      openedSince: from,
      openedBefore: to,
      severities: query.severity?.length ? query.severity : undefined,
      affecting: query.entityRef ? [query.entityRef] : undefined,
      ownedBy: query.owner?.length ? query.owner : undefined,
      permissionCriteria: criteria,
    };
  }
}
