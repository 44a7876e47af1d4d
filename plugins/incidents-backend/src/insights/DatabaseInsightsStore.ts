/*
 * The response metrics as grouped SQL on both engines: the incidents are
 * never loaded into the process, only the aggregates come back.
 *
 * Statistics of a set of durations (seconds): count, mean, the median (the
 * middle value, or the mean of the two middle ones) and p90 by nearest rank
 * (the smallest value with at least 90% of the values at or below it), from
 * row numbers over the sorted values: SQLite has no percentile functions.
 *
 * Engine differences: SQLite keeps timestamps as epoch milliseconds (Knex
 * writes Dates so), PostgreSQL as timestamptz; a duration is
 * `(b - a) / 1000.0` there and `extract(epoch from b - a)` here; bound
 * timestamps in a VALUES list need a `::timestamptz` cast on PostgreSQL.
 */
import { Knex } from 'knex';
import { IncidentReader, IncidentSelection } from '../incidents/IncidentStore';
import { isPostgres } from '../lib/database';

/** count, mean, median, p90 of a set of durations in seconds. */
export interface DurationStats {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

/** The durations the summary reports. */
export type Metric = 'timeToAcknowledge' | 'timeToMitigate' | 'timeToResolve';

const METRIC_COLUMNS: Record<Metric, string> = {
  timeToAcknowledge: 'acknowledged_at',
  timeToMitigate: 'mitigated_at',
  timeToResolve: 'resolved_at',
};

/** A row of the SLA read: an incident with its deadline. */
export interface SlaRow {
  id: string;
  severity: string;
  openedAt: Date;
  acknowledgedAt?: Date;
  deadline: Date;
}

/** Aggregates over the incidents a selection names. */
export class DatabaseInsightsStore {
  private readonly postgres: boolean;

  constructor(
    private readonly knex: Knex,
    private readonly incidents: IncidentReader,
  ) {
    this.postgres = isPostgres(knex);
  }

  /** Seconds from `a` to `b` (columns of the derived table). */
  private seconds(a: string, b: string) {
    return this.postgres
      ? `extract(epoch from (${b} - ${a}))`
      : `((${b} - ${a}) / 1000.0)`;
  }

  /** A timestamp parameter usable inside a VALUES list. */
  private get ts() {
    return this.postgres ? '?::timestamptz' : '?';
  }

  /**
   * The incidents counted per severity, and each metric's statistics per
   * severity and over all (`group: 'all'`).
   */
  async summary(selection: IncidentSelection): Promise<{
    counts: Map<string, number>;
    stats: Array<{ metric: Metric; group: string } & DurationStats>;
  }> {
    const base = this.incidents.selectForMetrics({
      ...selection,
      forMetrics: true,
    });
    const counts = new Map<string, number>();
    const countRows = await this.knex
      .from(base.clone().as('b'))
      .select('b.severity')
      .count({ n: '*' })
      .groupBy('b.severity');
    for (const r of countRows as Array<{ severity: string; n: unknown }>) {
      counts.set(r.severity, Number(r.n));
    }
    const durations = (Object.keys(METRIC_COLUMNS) as Metric[])
      .map(
        m =>
          `select '${m}' as m, severity as grp, ${this.seconds(
            'opened_at',
            METRIC_COLUMNS[m],
          )} as v from base where ${METRIC_COLUMNS[m]} is not null`,
      )
      .join(' union all ');
    const rows = await this.knex
      .with('base', base)
      .with('d', this.knex.raw(durations))
      .with(
        'g',
        this.knex.raw(
          "select m, grp, v from d union all select m, 'all', v from d",
        ),
      )
      .modify(q => this.statsOf(q, ['m', 'grp']));
    return {
      counts,
      stats: rows.map((r: any) => ({
        metric: r.m,
        group: r.grp,
        ...toStats(r),
      })),
    };
  }

  /** Incidents opened per bucket and severity. */
  async frequency(
    selection: IncidentSelection,
    buckets: Array<{ start: Date; end: Date }>,
  ): Promise<Array<{ bucket: number; severity: string; count: number }>> {
    if (buckets.length === 0) return [];
    const base = this.incidents.selectForMetrics({
      ...selection,
      forMetrics: true,
    });
    const values = buckets.map(() => `(?, ${this.ts}, ${this.ts})`).join(', ');
    const rows = await this.knex
      .with('base', base)
      .with(
        'bk',
        ['idx', 's', 'e'],
        this.knex.raw(
          `values ${values}`,
          buckets.flatMap((b, i) => [i, b.start, b.end]),
        ),
      )
      .from('bk')
      .join('base', function joinBuckets() {
        this.on('base.opened_at', '>=', 'bk.s').andOn(
          'base.opened_at',
          '<',
          'bk.e',
        );
      })
      .select('bk.idx', 'base.severity')
      .count({ n: '*' })
      .groupBy('bk.idx', 'base.severity');
    return rows.map((r: any) => ({
      bucket: Number(r.idx),
      severity: r.severity,
      count: Number(r.n),
    }));
  }

  /**
   * Each incident's acknowledgement deadline: `opened + target` for a
   * duration target, the next-business-day deadline of its opening day
   * otherwise; counted per severity as met, breached (late, or not
   * acknowledged and past the deadline at `now`) or pending.
   */
  async sla(
    selection: IncidentSelection,
    targets: {
      fixedMs: Map<string, number>;
      days: Array<{ day: string; start: Date; end: Date; deadline: Date }>;
      /** The zone the days are local days of. */
      zone: string;
    },
    now: Date,
  ) {
    const base = this.incidents.selectForMetrics({
      ...selection,
      forMetrics: true,
    });
    const { knex } = this;
    const bindings: Knex.RawBinding[] = [];
    const cases = [...targets.fixedMs].map(([severity, ms]) => {
      bindings.push(severity, ms);
      return this.postgres
        ? `when severity = ? then opened_at + (?::double precision * interval '1 millisecond')`
        : `when severity = ? then opened_at + ?`;
    });
    // The deadline of a next-business-day incident is its local opening
    // day's. PostgreSQL finds the day by hashing its local date; SQLite,
    // without time zones, looks it up by the day's bounds.
    const hasDays = targets.days.length > 0;
    const dayValues = this.postgres
      ? targets.days.map(() => `(?, ${this.ts})`).join(', ')
      : targets.days
          .map(() => `(${this.ts}, ${this.ts}, ${this.ts})`)
          .join(', ');
    const dayBindings = targets.days.flatMap(d =>
      this.postgres ? [d.day, d.deadline] : [d.start, d.end, d.deadline],
    );
    let dayDeadline = 'null';
    if (hasDays) {
      dayDeadline = this.postgres
        ? 'dl.deadline'
        : '(select dl.deadline from dl where base.opened_at >= dl.s and base.opened_at < dl.e)';
    }
    const deadline = `case ${cases.join(' ')} else ${dayDeadline} end`;
    const join =
      hasDays && this.postgres
        ? ` left join dl on dl.day = to_char(base.opened_at at time zone ?, 'YYYY-MM-DD')`
        : '';
    const withDeadlines = () => {
      let query = knex.with('base', base.clone());
      if (hasDays) {
        query = query.with(
          'dl',
          this.postgres ? ['day', 'deadline'] : ['s', 'e', 'deadline'],
          knex.raw(`values ${dayValues}`, dayBindings),
        );
      }
      return query.with(
        'w',
        knex.raw(
          `select base.id, base.severity, base.opened_at, base.acknowledged_at, ${deadline} as deadline from base${join}`,
          join ? [...bindings, targets.zone] : bindings,
        ),
      );
    };

    const rows = await withDeadlines()
      .from('w')
      .select('severity')
      .select(
        knex.raw(
          'sum(case when acknowledged_at is not null and acknowledged_at <= deadline then 1 else 0 end) as met',
        ),
        knex.raw(
          'sum(case when (acknowledged_at is not null and acknowledged_at > deadline) or (acknowledged_at is null and deadline < ?) then 1 else 0 end) as breached',
          [now],
        ),
        knex.raw('count(*) as n'),
      )
      .groupBy('severity');
    const breaches = await withDeadlines()
      .from('w')
      .where(q =>
        q
          .whereRaw(
            'acknowledged_at is not null and acknowledged_at > deadline',
          )
          .orWhereRaw('acknowledged_at is null and deadline < ?', [now]),
      )
      .select('id', 'severity', 'opened_at', 'acknowledged_at', 'deadline')
      .orderBy('opened_at', 'desc')
      .limit(100);
    return {
      bySeverity: rows.map((r: any) => ({
        severity: r.severity as string,
        met: Number(r.met),
        breached: Number(r.breached),
        count: Number(r.n),
      })),
      breaches: breaches.map((r: any) => ({
        id: r.id as string,
        severity: r.severity as string,
        openedAt: toDate(r.opened_at),
        acknowledgedAt: r.acknowledged_at
          ? toDate(r.acknowledged_at)
          : undefined,
        deadline: toDate(r.deadline),
      })),
    };
  }

  /** Per affected component: incidents, those linked to a change, and their recovery time. */
  async changeFailure(selection: IncidentSelection) {
    const base = this.incidents.selectForMetrics(
      { ...selection, forMetrics: true },
      { byEntity: true },
    );
    const { knex } = this;
    const counts = await knex
      .from(base.clone().as('b'))
      .select('b.entity_ref')
      .count({ n: '*' })
      .select(
        knex.raw(
          'sum(case when b.change_url is not null then 1 else 0 end) as linked',
        ),
      )
      .groupBy('b.entity_ref');
    const stats = await knex
      .with('base', base)
      .with(
        'g',
        knex.raw(
          `select entity_ref as grp, ${this.seconds(
            'opened_at',
            'resolved_at',
          )} as v from base where change_url is not null and resolved_at is not null`,
        ),
      )
      .modify(q => this.statsOf(q, ['grp']));
    const recovery = new Map<string, DurationStats>(
      stats.map((r: any) => [r.grp as string, toStats(r)]),
    );
    return counts.map((r: any) => ({
      entityRef: r.entity_ref as string,
      incidents: Number(r.n),
      changeLinked: Number(r.linked),
      recovery: recovery.get(r.entity_ref) ?? {
        count: 0,
        mean: null,
        median: null,
        p90: null,
      },
    }));
  }

  /**
   * count, mean, median and p90 (nearest rank) of the durations `v` of the
   * derived table `g`, per partition. PostgreSQL has ordered-set aggregates
   * (`percentile_disc` is the nearest rank, `percentile_cont(0.5)` the
   * median); SQLite has none, so there the values are ranked with window
   * functions and picked by row number.
   */
  private statsOf(query: Knex.QueryBuilder, partition: string[]) {
    if (this.postgres) {
      return query
        .from('g')
        .select(
          ...partition,
          this.knex.raw(
            [
              'count(*) as c',
              'avg(v) as mean',
              'percentile_cont(0.5) within group (order by v) as median',
              'percentile_disc(0.9) within group (order by v) as p90',
            ].join(', '),
          ),
        )
        .groupBy(partition);
    }
    const by = partition.join(', ');
    return query
      .with(
        'r',
        this.knex.raw(
          `select ${by}, v, row_number() over (partition by ${by} order by v) as rn, count(*) over (partition by ${by}) as n from g`,
        ),
      )
      .from('r')
      .select(
        ...partition,
        this.knex.raw(
          [
            'count(*) as c',
            'avg(v) as mean',
            'avg(case when rn = (n + 1) / 2 or rn = (n + 2) / 2 then v end) as median',
            'max(case when rn = (9 * n + 9) / 10 then v end) as p90',
          ].join(', '),
        ),
      )
      .groupBy(partition);
  }
}

function toStats(row: any): DurationStats {
  const num = (v: unknown) =>
    v === null || v === undefined ? null : round(Number(v));
  return {
    count: Number(row.c),
    mean: num(row.mean),
    median: num(row.median),
    p90: num(row.p90),
  };
}

/** Durations to the millisecond. */
function round(seconds: number) {
  return Math.round(seconds * 1000) / 1000;
}

function toDate(value: unknown): Date {
  return value instanceof Date
    ? value
    : new Date(Number.isFinite(Number(value)) ? Number(value) : String(value));
}
