/*
 * The public page as HTML, rendered on the server: no JavaScript, no
 * external assets, readable at 390 px, every status written as text beside
 * its colour. Every value is escaped.
 */
import escapeHtml from 'escape-html';
import { DateTime } from 'luxon';
import {
  ComponentObject,
  IncidentObject,
  MaintenanceObject,
  PageSnapshot,
} from '../publicView';
import { ComponentStatus } from '../StatusPageStore';
import { UptimeDay } from '../uptime';

const e = (value: string | null | undefined) => escapeHtml(value ?? '');

/** Status colours with at least 4.5:1 contrast against white text or background. */
const COLORS: Record<string, string> = {
  operational: '#1b7f3b',
  degraded_performance: '#8a6100',
  partial_outage: '#b34700',
  major_outage: '#b3261e',
  under_maintenance: '#1f5fa8',
  none: '#1b7f3b',
  minor: '#8a6100',
  major: '#b34700',
  critical: '#b3261e',
  maintenance: '#1f5fa8',
};

const LABELS: Record<string, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#f6f7f9}
main{max-width:860px;margin:0 auto;padding:16px}h1{font-size:1.6rem;margin:8px 0 16px}h2{font-size:1.2rem;margin:28px 0 8px}
h3{font-size:1rem;margin:0}a{color:#0b57b4}.banner{color:#fff;border-radius:8px;padding:14px 16px;font-weight:600;font-size:1.1rem}
.card{background:#fff;border:1px solid #d9dce1;border-radius:8px;padding:12px 16px;margin:8px 0}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap}
.status{font-weight:600;white-space:nowrap}.muted{color:#50555c;font-size:.9rem}
ol.updates{list-style:none;margin:8px 0 0;padding:0}ol.updates li{border-top:1px solid #eceef1;padding:8px 0}
.bars{display:flex;gap:1px;height:28px;margin:6px 0 2px}.bars span{flex:1;min-width:1px;border-radius:1px}
ul.plain{list-style:none;margin:0;padding:0}h3.group{margin:16px 0 4px;font-size:1.05rem}h3.group .status{font-size:.9rem;margin-left:8px}footer{margin:32px 0 8px;font-size:.9rem;color:#50555c}
@media (max-width:480px){main{padding:10px}.bars{height:22px}}`;

/** The whole page. */
export function renderPage(snapshot: PageSnapshot, now: Date): string {
  const { page, status } = snapshot;
  const zone = page.time_zone;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(page.name)}: ${e(status.description)}</title>
<link rel="alternate" type="application/atom+xml" title="${e(
    page.name,
  )} history" href="history.atom">
<link rel="alternate" type="application/rss+xml" title="${e(
    page.name,
  )} history" href="history.rss">
<style>${STYLE}</style></head>
<body><main>
<h1>${e(page.name)}</h1>
<p class="banner" role="status" style="background:${
    COLORS[status.indicator] ?? COLORS.minor
  }">${e(status.description)}</p>
${section(
  'Active incidents',
  snapshot.unresolved.map(i => incidentCard(i, zone)).join(''),
)}
${section(
  'Maintenance',
  [...snapshot.active, ...snapshot.upcoming]
    .map(m => maintenanceCard(m, zone))
    .join(''),
)}
<h2>Components</h2>
<ul class="plain">${componentRows(snapshot)}</ul>
${section(
  'Past incidents',
  pastIncidents(snapshot, now)
    .map(i => incidentCard(i, zone))
    .join('') || '<p class="muted">No incidents in the last 14 days.</p>',
  true,
)}
<footer><p>Subscribe: <a href="history.atom">Atom</a> · <a href="history.rss">RSS</a> · <a href="api/v2/summary.json">JSON API</a>.
Times in ${e(zone)}. Updated ${e(format(page.updated_at, zone))}.</p></footer>
</main></body></html>
`;
}

function section(title: string, body: string, always = false): string {
  return body || always ? `<h2>${e(title)}</h2>${body}` : '';
}

function incidentCard(incident: IncidentObject, zone: string): string {
  const color = COLORS[incident.impact] ?? COLORS.minor;
  const affected = incident.components.map(c => c.name).join(', ');
  return `<article class="card" id="incident-${e(incident.id)}">
<div class="row"><h3>${e(
    incident.name,
  )}</h3><span class="status" style="color:${color}">${e(
    LABELS[incident.status] ?? incident.status,
  )}</span></div>
${affected ? `<p class="muted">Affected: ${e(affected)}</p>` : ''}
${updateList(incident, zone)}
</article>`;
}

function maintenanceCard(m: MaintenanceObject, zone: string): string {
  return `<article class="card" id="maintenance-${e(m.id)}">
<div class="row"><h3>${e(m.name)}</h3><span class="status" style="color:${
    COLORS.maintenance
  }">${e(LABELS[m.status] ?? m.status)}</span></div>
<p class="muted">${e(format(m.scheduled_for, zone))} – ${e(
    format(m.scheduled_until, zone),
  )}${
    m.components.length
      ? ` · ${e(m.components.map(c => c.name).join(', '))}`
      : ''
  }</p>
${updateList(m, zone)}
</article>`;
}

function updateList(incident: IncidentObject, zone: string): string {
  if (incident.incident_updates.length === 0) return '';
  return `<ol class="updates">${incident.incident_updates
    .map(
      u => `<li><strong>${e(LABELS[u.status] ?? u.status)}</strong> — ${e(
        u.body,
      )}
<div class="muted"><time datetime="${e(u.display_at)}">${e(
        format(u.display_at, zone),
      )}</time></div></li>`,
    )
    .join('')}</ol>`;
}

function componentRows(snapshot: PageSnapshot): string {
  const uptime = new Map(snapshot.uptime.map(u => [u.id, u]));
  const groups = new Map(
    snapshot.components.filter(c => c.group).map(g => [g.id, g]),
  );
  const shown = new Set<string>();
  return snapshot.components
    .filter(c => !c.group)
    .map(c => {
      const group = c.group_id ? groups.get(c.group_id) : undefined;
      let heading = '';
      if (group && !shown.has(group.id)) {
        shown.add(group.id);
        heading = `<li><h3 class="group">${e(
          group.name,
        )} <span class="status" style="color:${COLORS[group.status]}">${e(
          LABELS[group.status],
        )}</span></h3></li>`;
      }
      return heading + componentRow(c, uptime.get(c.id));
    })
    .join('');
}

function componentRow(
  component: ComponentObject,
  uptime: { days: UptimeDay[]; uptimePercent: number } | undefined,
): string {
  const color = COLORS[component.status];
  const bars = uptime
    ? `<div class="bars" role="img" aria-label="${e(
        `${uptime.uptimePercent}% uptime over the last ${uptime.days.length} days`,
      )}">${uptime.days.map(barOf).join('')}</div>
<div class="row muted"><span>${uptime.days.length} days ago</span><span>${
        uptime.uptimePercent
      }% uptime</span><span>Today</span></div>`
    : '';
  return `<li class="card"><div class="row"><h3>${e(
    component.name,
  )}</h3><span class="status" style="color:${color}">${e(
    LABELS[component.status],
  )}</span></div>${
    component.description
      ? `<p class="muted">${e(component.description)}</p>`
      : ''
  }${bars}</li>`;
}

function barOf(day: UptimeDay): string {
  const minutes = Object.entries(day.minutes)
    .map(([status, m]) => `${LABELS[status]} ${Math.round(m ?? 0)} min`)
    .join(', ');
  const title = `${day.date}: ${minutes || 'no incidents'}`;
  return `<span style="background:${
    COLORS[day.worst as ComponentStatus]
  }" title="${e(title)}"></span>`;
}

function pastIncidents(snapshot: PageSnapshot, now: Date): IncidentObject[] {
  const since = now.getTime() - 14 * 86_400_000;
  return snapshot.incidents.filter(
    i => i.status === 'resolved' && new Date(i.started_at).getTime() >= since,
  );
}

function format(iso: string, zone: string): string {
  return DateTime.fromISO(iso).setZone(zone).toFormat('d LLL yyyy, HH:mm ZZZZ');
}
