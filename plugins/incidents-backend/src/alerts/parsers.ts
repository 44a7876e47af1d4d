/*
 * Alert payloads in, Vigil's alert shape out. Each parser validates with zod
 * and throws an InputError naming what is wrong; nothing is written before
 * the whole payload parsed.
 */
import { InputError } from '@backstage/errors';
import { parseSeverity, Severity } from '@vigil/plugin-incidents-common';
import { ParsedAlert } from '@vigil/plugin-incidents-node';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** An alert ready for intake. */
export interface IncomingAlert extends ParsedAlert {
  /** Alerts of one group open (and attach to) one incident. */
  groupKey?: string;
  /** A sender's acknowledgement (Events API v2). */
  action?: 'acknowledge';
  /** A catalog component name or ref the sender named directly. */
  service?: string;
}

/** Most alerts per message; bodies are also capped in bytes. */
export const MAX_ALERTS_PER_MESSAGE = 1000;

const SENDER_SEVERITIES: Record<string, Severity> = {
  page: 'sev1',
  error: 'sev2',
  major: 'sev2',
  warning: 'sev3',
  warn: 'sev3',
  minor: 'sev4',
  info: 'sev5',
  informational: 'sev5',
  none: 'sev5',
};

/**
 * A sender's severity as a Vigil severity: ours and their aliases
 * (P1–P4, critical/high/medium/low), common monitoring words (error,
 * warning, info, page), else `fallback`.
 */
export function alertSeverity(
  value: string | undefined,
  fallback: Severity,
): Severity {
  return knownAlertSeverity(value) ?? fallback;
}

/** A sender's severity as ours, or undefined when it is not one we know. */
export function knownAlertSeverity(
  value: string | undefined,
): Severity | undefined {
  if (!value) return undefined;
  return parseSeverity(value) ?? SENDER_SEVERITIES[value.trim().toLowerCase()];
}

/** zod issues as one readable message: `alerts[3].status: ...; ...`. */
function describe(error: z.ZodError, root: string): string {
  return error.issues
    .slice(0, 5)
    .map(issue => {
      const path = issue.path.reduce<string>(
        (acc, part) =>
          typeof part === 'number'
            ? `${acc}[${part}]`
            : `${acc}.${String(part)}`,
        root,
      );
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown, root: string): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new InputError(describe(result.error, root));
  }
  return result.data;
}

const isIsoTime = (v: string) => DateTime.fromISO(v).isValid;
const time = z.string().max(40).refine(isIsoTime, 'not an ISO 8601 time');
// Alertmanager sends 0001-01-01T00:00:00Z for "no end".
const alertmanagerTime = z
  .string()
  .max(40)
  .refine(v => v.startsWith('0001-') || isIsoTime(v), 'not an ISO 8601 time');
const alertStatus = z.enum(['firing', 'resolved'], {
  error: 'must be one of firing, resolved',
});
const labelMap = z.record(z.string().max(200), z.string().max(2000));

// ---- generic --------------------------------------------------------------

const genericAlert = z.strictObject({
  source: z.string().min(1).max(100),
  fingerprint: z.string().min(1).max(300),
  status: alertStatus,
  severity: z.string().refine(v => knownAlertSeverity(v) !== undefined, {
    message:
      'unknown severity; use sev1–sev5, P1–P4, critical/high/medium/low or error/warning/info',
  }),
  title: z.string().trim().min(1).max(500),
  description: z.string().max(10_000).optional(),
  entityRef: z.string().max(300).optional(),
  labels: labelMap.optional(),
  tags: z.array(z.string().min(1).max(100)).max(20).optional(),
  startsAt: time.optional(),
  endsAt: time.optional(),
});

const genericAlerts = z.array(genericAlert).min(1).max(MAX_ALERTS_PER_MESSAGE);

/**
 * `POST /alerts`: one alert or an array of them. Each shape is parsed on
 * its own (not as a union), so an error names the field
 * (`alerts[3].status: ...`), not just the body.
 */
export function parseGenericAlerts(body: unknown): IncomingAlert[] {
  const parsed = Array.isArray(body)
    ? parseWith(genericAlerts, body, 'alerts')
    : [parseWith(genericAlert, body, 'body')];
  return parsed.map(a => ({
    source: `generic:${a.source}`,
    fingerprint: a.fingerprint,
    status: a.status,
    severity: knownAlertSeverity(a.severity)!,
    title: a.title,
    description: a.description,
    service: a.entityRef,
    labels: a.labels,
    tags: a.tags,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
  }));
}

// ---- Prometheus Alertmanager (webhook version 4) -----------------------------

const alertmanagerBody = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(2000),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: alertStatus,
  receiver: z.string().max(300),
  groupLabels: labelMap.optional(),
  commonLabels: labelMap.optional(),
  commonAnnotations: labelMap.optional(),
  externalURL: z.string().max(2000).optional(),
  alerts: z
    .array(
      z.object({
        status: alertStatus,
        labels: labelMap,
        annotations: labelMap.optional(),
        startsAt: alertmanagerTime.optional(),
        endsAt: alertmanagerTime.optional(),
        generatorURL: z.string().max(2000).optional(),
        fingerprint: z.string().min(1).max(300),
      }),
    )
    .max(MAX_ALERTS_PER_MESSAGE),
});

/** What else an Alertmanager message says beyond its alerts. */
export interface AlertmanagerMeta {
  receiver: string;
  groupKey: string;
  /** Alerts Alertmanager left out; never read their absence as resolution. */
  truncatedAlerts: number;
}

/**
 * `POST /alerts/alertmanager`. Each alert carries its own status (one
 * message can mix firing and resolved); alerts group on receiver + groupKey
 * (groupKey alone is not unique across receivers); the severity comes from
 * the `severity` label, the title from the `summary` annotation or
 * `alertname`, tags from the configured labels.
 */
export function parseAlertmanager(
  body: unknown,
  options: { sender: string; defaultSeverity: Severity; tagLabels: string[] },
): { alerts: IncomingAlert[]; meta: AlertmanagerMeta } {
  const message = parseWith(alertmanagerBody, body, 'body');
  const groupKey = `${message.receiver}/${message.groupKey}`;
  const alerts = message.alerts.map((a): IncomingAlert => {
    const annotations = a.annotations ?? {};
    return {
      source: `alertmanager:${options.sender}`,
      fingerprint: a.fingerprint,
      status: a.status,
      severity: alertSeverity(a.labels.severity, options.defaultSeverity),
      title: (
        annotations.summary ??
        a.labels.alertname ??
        'Alertmanager alert'
      ).slice(0, 500),
      description: annotations.description,
      labels: a.labels,
      tags: options.tagLabels
        .filter(label => a.labels[label])
        .map(label => `${label}=${a.labels[label]}`),
      startsAt: validTime(a.startsAt),
      endsAt: validTime(a.endsAt),
      groupKey,
    };
  });
  return {
    alerts,
    meta: {
      receiver: message.receiver,
      groupKey: message.groupKey,
      truncatedAlerts: message.truncatedAlerts ?? 0,
    },
  };
}

// Alertmanager's 0001-01-01T00:00:00Z means "none"; the parse checked the rest.
function validTime(value: string | undefined): string | undefined {
  return !value || value.startsWith('0001-') ? undefined : value;
}

// ---- PagerDuty Events API v2 ---------------------------------------------------

const eventsV2Body = z
  .object({
    routing_key: z.string().min(1).max(100),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: z
      .object({
        summary: z.string().min(1).max(1024),
        source: z.string().min(1).max(255),
        severity: z.enum(['critical', 'error', 'warning', 'info']),
        timestamp: z
          .string()
          .max(60)
          .refine(isIsoTime, 'not an ISO 8601 time')
          .optional(),
        component: z.string().max(255).optional(),
        group: z.string().max(255).optional(),
        class: z.string().max(255).optional(),
        custom_details: z.unknown().optional(),
      })
      .optional(),
    client: z.string().max(255).optional(),
    client_url: z.string().max(2000).optional(),
    links: z.array(z.unknown()).optional(),
    images: z.array(z.unknown()).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.event_action === 'trigger' && !event.payload) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload'],
        message: 'required for a trigger',
      });
    }
    if (event.event_action !== 'trigger' && !event.dedup_key) {
      ctx.addIssue({
        code: 'custom',
        path: ['dedup_key'],
        message: `required for ${event.event_action}`,
      });
    }
  });

/** The parsed event and the key to check against configured routing keys. */
export interface EventsV2Event {
  routingKey: string;
  dedupKey: string;
  alert: IncomingAlert;
}

/**
 * `POST /alerts/events-v2`, the PagerDuty Events API v2 body. A trigger
 * without a dedup_key gets one (returned to the sender, as PagerDuty does).
 */
export function parseEventsV2(
  body: unknown,
  options: { sender: string },
): EventsV2Event {
  const event = parseWith(eventsV2Body, body, 'body');
  const dedupKey =
    event.dedup_key ??
    createHash('sha256')
      .update(JSON.stringify(event.payload))
      .digest('hex')
      .slice(0, 32);
  const payload = event.payload;
  const details =
    payload?.custom_details === undefined
      ? undefined
      : JSON.stringify(payload.custom_details, null, 2).slice(0, 10_000);
  return {
    routingKey: event.routing_key,
    dedupKey,
    alert: {
      source: `events-v2:${options.sender}`,
      fingerprint: dedupKey,
      status: event.event_action === 'resolve' ? 'resolved' : 'firing',
      action: event.event_action === 'acknowledge' ? 'acknowledge' : undefined,
      severity: alertSeverity(payload?.severity, 'sev3'),
      title: payload?.summary.slice(0, 500) ?? dedupKey,
      description: details,
      service: payload?.component,
      labels: payload
        ? Object.fromEntries(
            Object.entries({
              source: payload.source,
              component: payload.component,
              group: payload.group,
              class: payload.class,
            }).filter((e): e is [string, string] => Boolean(e[1])),
          )
        : undefined,
      tags: payload?.group ? [`group=${payload.group}`] : undefined,
      startsAt: validTime(payload?.timestamp),
      groupKey: dedupKey,
    },
  };
}
