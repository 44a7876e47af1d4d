import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Response } from 'express';
import { ApiRouter, userOrService } from '../lib/http';
import { normalizeEntityRef } from '../lib/identity';
import { toCsv } from './csv';
import { InsightsService, MetricsQuery } from './InsightsService';
import { OncallLoadService } from './OncallLoadService';

type Query = {
  from?: string;
  to?: string;
  severity?: MetricsQuery['severity'];
  entityRef?: string;
  owner?: string[];
};

function metricsQuery(q: Query): MetricsQuery {
  return {
    from: q.from,
    to: q.to,
    severity: q.severity,
    entityRef: q.entityRef
      ? normalizeEntityRef(q.entityRef, 'component', 'entityRef')
      : undefined,
    owner: q.owner?.map(o => normalizeEntityRef(o, 'group', 'owner')),
  };
}

/** JSON, or CSV when `format=csv`. */
function answer(
  res: Response,
  format: string | undefined,
  json: unknown,
  csv: () => string,
) {
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(csv());
  } else {
    res.json(json);
  }
}

const STATS = ['count', 'mean', 'median', 'p90'] as const;

/** The metrics endpoints: `/metrics/…`, each as JSON or CSV. */
export function registerInsightsRoutes(
  router: ApiRouter,
  options: {
    insights: InsightsService;
    oncallLoad: OncallLoadService;
    httpAuth: HttpAuthService;
  },
) {
  const { insights, oncallLoad, httpAuth } = options;

  router.get('/metrics/summary', async (req, res) => {
    const result = await insights.summary(
      metricsQuery(req.query),
      await userOrService(httpAuth, req),
    );
    answer(res, req.query.format, result, () =>
      toCsv(
        [{ severity: 'all', ...result.overall }, ...result.bySeverity],
        [
          ['severity', r => r.severity],
          ['incidents', r => r.count],
          ...(
            ['timeToAcknowledge', 'timeToMitigate', 'timeToResolve'] as const
          ).flatMap(metric =>
            STATS.map(
              stat =>
                [
                  `${metric}_${stat}`,
                  (r: typeof result.overall) => r[metric][stat],
                ] as [string, (r: any) => unknown],
            ),
          ),
        ],
      ),
    );
  });

  router.get('/metrics/frequency', async (req, res) => {
    const result = await insights.frequency(
      { ...metricsQuery(req.query), interval: req.query.interval },
      await userOrService(httpAuth, req),
    );
    const severities = Object.keys(result.buckets[0]?.counts ?? {});
    answer(res, req.query.format, result, () =>
      toCsv(result.buckets, [
        ['bucket', b => b.label],
        ['start', b => b.start],
        ...severities.map(
          s =>
            [
              s,
              (b: (typeof result.buckets)[number]) => b.counts[s as 'sev1'],
            ] as [string, (b: any) => unknown],
        ),
        ['total', b => b.total],
      ]),
    );
  });

  router.get('/metrics/sla', async (req, res) => {
    const result = await insights.sla(
      metricsQuery(req.query),
      await userOrService(httpAuth, req),
    );
    answer(res, req.query.format, result, () =>
      toCsv(result.bySeverity, [
        ['severity', r => r.severity],
        ['target', r => r.target],
        ['incidents', r => r.count],
        ['met', r => r.met],
        ['breached', r => r.breached],
        ['pending', r => r.pending],
        ['compliance_percent', r => r.compliance],
      ]),
    );
  });

  router.get('/metrics/change-failure', async (req, res) => {
    const result = await insights.changeFailure(
      metricsQuery(req.query),
      await userOrService(httpAuth, req),
    );
    answer(res, req.query.format, result, () =>
      toCsv(result.items, [
        ['entity_ref', r => r.entityRef],
        ['incidents', r => r.incidents],
        ['change_linked', r => r.changeLinked],
        ['change_linked_percent', r => r.changeLinkedShare],
        ...STATS.map(
          stat =>
            [
              `recovery_${stat}`,
              (r: (typeof result.items)[number]) => r.recovery[stat],
            ] as [string, (r: any) => unknown],
        ),
      ]),
    );
  });

  router.get('/metrics/oncall-load', async (req, res) => {
    const result = await oncallLoad.load(
      insights.range(req.query),
      { scheduleId: req.query.scheduleId },
      await userOrService(httpAuth, req),
    );
    // JSON: the most loaded first, at most `limit`; CSV: everyone.
    const limit = req.query.limit ?? 100;
    const json = {
      ...result,
      users: result.users.slice(0, limit),
      schedules: result.schedules.slice(0, limit),
    };
    answer(res, req.query.format, json, () =>
      toCsv(result.users, [
        ['user_ref', u => u.userRef],
        ['hours_business', u => u.hours.business],
        ['hours_off', u => u.hours.off],
        ['hours_sleep', u => u.hours.sleep],
        ['pages_business', u => u.pages.business],
        ['pages_off', u => u.pages.off],
        ['pages_sleep', u => u.pages.sleep],
      ]),
    );
  });
}
