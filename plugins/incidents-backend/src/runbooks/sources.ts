/*
 * Where runbooks come from, as pure functions over what the service read:
 * catalog entities (links of type runbook, the vigil.dev/runbooks
 * annotation), alerts (a runbook_url label; Alertmanager's runbook_url
 * annotation is kept as that label on intake), app-config, and scaffolder
 * templates tagged vigil-runbook. Runbooks merge by URL, keeping every
 * source and subject, first seen first.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Alert,
  ANNOTATION_RUNBOOK_FOR,
  ANNOTATION_RUNBOOKS,
  Runbook,
  RunbookAutomation,
  RunbookSource,
} from '@vigil/plugin-incidents-common';
import { ConfiguredRunbook, isHttpUrl } from './config';

/** One runbook as found, before merging. */
export interface FoundRunbook {
  title: string;
  url: string;
  source: RunbookSource;
  subject: string;
}

/** The label (and Alertmanager annotation) naming an alert's runbook. */
export const RUNBOOK_URL_LABEL = 'runbook_url';

/** The subject naming an alert: `alert:<alertname or title>`. */
export function alertSubject(alert: Pick<Alert, 'labels' | 'title'>): string {
  return `alert:${alertName(alert)}`;
}

/** Alertmanager's `alertname`, else the alert's title. */
export function alertName(alert: Pick<Alert, 'labels' | 'title'>): string {
  return alert.labels.alertname ?? alert.title;
}

/** The component's catalog links of type runbook and its annotation. */
export function entityRunbooks(entity: Entity): FoundRunbook[] {
  const subject = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const links: FoundRunbook[] = (entity.metadata.links ?? [])
    .filter(link => link.type?.toLocaleLowerCase('en-US') === 'runbook')
    .map(link => ({
      title: link.title ?? link.url,
      url: link.url,
      source: 'catalog-link',
      subject,
    }));
  const annotated = parseRunbookAnnotation(
    entity.metadata.annotations?.[ANNOTATION_RUNBOOKS],
  ).map(r => ({ ...r, source: 'annotation' as const, subject }));
  return [...links, ...annotated];
}

/**
 * `https://a, Title | https://b` (commas or new lines) as titled URLs;
 * entries that are not http(s) URLs are left out.
 */
export function parseRunbookAnnotation(
  value: string | undefined,
): Array<{ title: string; url: string }> {
  return (value ?? '')
    .split(/[,\n]/)
    .map(entry => entry.trim())
    .filter(Boolean)
    .map(entry => {
      // Titles hold no '|'; a URL might.
      const bar = entry.indexOf('|');
      const url = (bar < 0 ? entry : entry.slice(bar + 1)).trim();
      const title = bar < 0 ? url : entry.slice(0, bar).trim() || url;
      return { title, url };
    });
}

/** The alert's runbook_url, titled by the alert's name. */
export function alertRunbooks(alert: Alert): FoundRunbook[] {
  const url = alert.labels[RUNBOOK_URL_LABEL];
  if (!url) return [];
  return [
    {
      title: `Runbook: ${alertName(alert)}`,
      url,
      source: 'alert',
      subject: alertSubject(alert),
    },
  ];
}

/** The configured runbooks for these components and alert names. */
export function configRunbooks(
  configured: ConfiguredRunbook[],
  components: string[],
  alertNames: string[],
): FoundRunbook[] {
  return configured.flatMap(runbook => [
    ...runbook.components
      .filter(ref => components.includes(ref))
      .map(ref => ({ ...runbook, source: 'config' as const, subject: ref })),
    ...runbook.alerts
      .filter(name => alertNames.includes(name))
      .map(name => ({
        ...runbook,
        source: 'config' as const,
        subject: `alert:${name}`,
      })),
  ]);
}

/** Merges by URL (http(s) only), keeping every source and subject. */
export function mergeRunbooks(found: FoundRunbook[]): Runbook[] {
  const byUrl = new Map<string, Runbook>();
  for (const runbook of found) {
    if (!isHttpUrl(runbook.url)) continue;
    const key = new URL(runbook.url).toString();
    const merged = byUrl.get(key) ?? {
      title: runbook.title,
      url: runbook.url,
      sources: [],
      subjects: [],
    };
    addOnce(merged.sources, runbook.source);
    addOnce(merged.subjects, runbook.subject);
    // A real title beats one that is only the URL.
    if (merged.title === merged.url && runbook.title !== runbook.url) {
      merged.title = runbook.title;
    }
    byUrl.set(key, merged);
  }
  return [...byUrl.values()];
}

function addOnce<T>(list: T[], item: T) {
  if (!list.includes(item)) list.push(item);
}

/**
 * The subjects a template's vigil.dev/runbook-for names: component names or
 * refs (normalized to `component:<ns>/<name>`) and `alert:<name>`.
 */
export function templateSubjects(template: Entity): string[] {
  const value = template.metadata.annotations?.[ANNOTATION_RUNBOOK_FOR] ?? '';
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map(s => {
      if (s.startsWith('alert:')) return s;
      const ref = s.includes(':') ? s : `component:${s}`;
      return (
        ref.includes('/') ? ref : ref.replace(':', ':default/')
      ).toLocaleLowerCase('en-US');
    });
}

/**
 * The templates that apply to any of the subjects, each with the scaffolder
 * path prefilled with the incident and the (first matching) component.
 */
export function automationsFor(
  templates: Entity[],
  subjects: string[],
  incidentRef?: string,
): RunbookAutomation[] {
  return templates.flatMap(template => {
    const matching = templateSubjects(template).filter(s =>
      subjects.includes(s),
    );
    if (matching.length === 0) return [];
    const { name, namespace = 'default', title } = template.metadata;
    const component = matching.find(s => !s.startsWith('alert:'));
    const formData = {
      ...(incidentRef ? { incident: incidentRef } : {}),
      ...(component ? { component } : {}),
    };
    const query = Object.keys(formData).length
      ? `?formData=${encodeURIComponent(JSON.stringify(formData))}`
      : '';
    return [
      {
        templateRef: stringifyEntityRef(template),
        title: title ?? name,
        description: template.metadata.description,
        runPath: `/create/templates/${namespace}/${name}${query}`,
        subjects: matching,
      },
    ];
  });
}
