import { Config } from '@backstage/config';
import { AlertsConfig, readAlertsConfig } from './alerts/config';
import { EscalationConfig, readEscalationConfig } from './escalation/config';
import { MetricsConfig, readMetricsConfig } from './insights/config';
import {
  OncallNoticeConfig,
  readHorizonWeeks,
  readNoticeConfig,
  readSchedules,
  ScheduleDefinition,
} from './oncall/config';
import { PostmortemConfig, readPostmortemConfig } from './postmortems/config';
import { readStatusPageConfig, StatusPageConfig } from './statuspage/config';
import { ConfiguredRunbook, readRunbooksConfig } from './runbooks/config';
import { readBlastRadiusMaxDepth } from './blastRadius/config';
import { ChatConfig, readChatConfig } from './chat/config';

import {
  readServicePrincipals,
  ServicePrincipalAccess,
} from './authorization/servicePrincipals';

/** Everything Vigil reads from app-config, validated. */
export interface IncidentsSettings {
  schedules: ScheduleDefinition[];
  horizonWeeks: number;
  /** Hand-off and shift notices. */
  oncallNotices: OncallNoticeConfig;
  escalation: EscalationConfig;
  alerts: AlertsConfig;
  postmortems: PostmortemConfig;
  statusPage: StatusPageConfig;
  metrics: MetricsConfig;
  runbooks: ConfiguredRunbook[];
  /** Chat channels, the severity policy and acknowledge links. */
  chat: ChatConfig;
  /** Deepest level of the blast radius walk. */
  blastRadiusMaxDepth: number;
  /** The frontend's base URL, for links in pages and notifications. */
  appBaseUrl: string;
  /** Where the public status page is served: `<backend>/api/incidents/public`. */
  publicBaseUrl: string;
  /** `incidents.servicePrincipals`: the only permissions of listed services. */
  servicePrincipals: ServicePrincipalAccess[];
}

/**
 * Reads `incidents.*` (and `app.baseUrl`). A bad value stops the backend
 * with a message naming the key.
 */
export function readIncidentsSettings(config: Config): IncidentsSettings {
  const schedules = readSchedules(config);
  return {
    schedules,
    horizonWeeks: readHorizonWeeks(config),
    oncallNotices: readNoticeConfig(config),
    escalation: readEscalationConfig(
      config,
      schedules.map(s => s.id),
    ),
    alerts: readAlertsConfig(config),
    postmortems: readPostmortemConfig(config),
    statusPage: readStatusPageConfig(config),
    metrics: readMetricsConfig(config),
    runbooks: readRunbooksConfig(config),
    blastRadiusMaxDepth: readBlastRadiusMaxDepth(config),
    chat: readChatConfig(config),
    appBaseUrl:
      config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000',
    publicBaseUrl: `${
      config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007'
    }/api/incidents/public`,
    servicePrincipals: readServicePrincipals(config),
  };
}
