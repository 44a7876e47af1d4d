import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Severity } from '@vigil/plugin-incidents-common';

/**
 * A page to deliver: one incident, one recipient.
 * @public
 */
export interface IncidentPage {
  /** Unique per page; the same id is never delivered twice by Vigil. */
  pageId: string;
  incident: {
    id: string;
    ref: string;
    title: string;
    severity: Severity;
    url: string;
  };
  /** The user entity ref being paged. */
  recipient: string;
  /** The escalation step that caused the page, 1-based. */
  step: number;
  /**
   * A one-click acknowledge link for the recipient (signed, expiring,
   * single use), when `incidents.ackLinks.secret` is configured.
   */
  acknowledgeUrl?: string;
}

/**
 * Delivers pages to people through some channel (SMS, chat, a SaaS pager).
 * @public
 */
export interface IncidentPager {
  /** A short, unique name used in the delivery audit, e.g. `sms`. */
  readonly id: string;
  /** Sends one page; throw to have the delivery recorded as failed. */
  send(page: IncidentPage): Promise<void>;
}

/**
 * Registers extra pagers with the incidents backend.
 * @public
 */
export interface IncidentsPagerExtensionPoint {
  addPager(...pagers: IncidentPager[]): void;
}

/**
 * Extension point for modules that add pagers to the incidents backend.
 * @public
 */
export const incidentsPagerExtensionPoint =
  createExtensionPoint<IncidentsPagerExtensionPoint>({
    id: 'incidents.pagers',
  });

/**
 * An alert in Vigil's own shape, as produced by an alert-source parser.
 * @public
 */
export interface ParsedAlert {
  source: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  severity: Severity;
  title: string;
  description?: string;
  entityRef?: string;
  labels?: Record<string, string>;
  tags?: string[];
  startsAt?: string;
  endsAt?: string;
}

/**
 * Turns a third-party alert payload into Vigil alerts.
 * @public
 */
export interface IncidentsAlertParser {
  /** Mounted under `POST /alerts/<id>`. */
  readonly id: string;
  /** Throws `InputError` from `@backstage/errors` for a bad payload. */
  parse(body: unknown): ParsedAlert[];
}

/**
 * Registers extra alert-source parsers with the incidents backend.
 * @public
 */
export interface IncidentsAlertParserExtensionPoint {
  addParser(...parsers: IncidentsAlertParser[]): void;
}

/**
 * Extension point for modules that add alert sources to the incidents backend.
 * @public
 */
export const incidentsAlertParserExtensionPoint =
  createExtensionPoint<IncidentsAlertParserExtensionPoint>({
    id: 'incidents.alertParsers',
  });
