/*
 * Vigil's actions for Backstage's actions registry, which the MCP actions
 * backend offers to agents as tools. Every action runs as the caller (the
 * credentials the registry hands it) through the same services, and so the
 * same permission checks, validation, audit and side effects, as the HTTP
 * API; errors are the services' (NotAllowedError, NotFoundError...).
 */
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AttachmentService } from '../incidents/AttachmentService';
import { IncidentService } from '../incidents/IncidentService';
import { OncallService } from '../oncall/OncallService';
import { PostmortemService } from '../postmortems/PostmortemService';
import {
  registerIncidentChangeActions,
  registerIncidentReadActions,
} from './incidentActions';
import { registerOncallActions } from './oncallActions';
import { registerPostmortemActions } from './postmortemActions';

/** Registers every incidents action. */
export function registerIncidentsActions(
  registry: ActionsRegistryService,
  services: {
    incidents: IncidentService;
    attachments: AttachmentService;
    oncall: OncallService;
    postmortems: PostmortemService;
  },
) {
  registerOncallActions(registry, services);
  registerIncidentReadActions(registry, services);
  registerIncidentChangeActions(registry, services);
  registerPostmortemActions(registry, services);
}
