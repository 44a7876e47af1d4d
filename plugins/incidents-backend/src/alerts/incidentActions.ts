import { ConflictError } from '@backstage/errors';
import { isActiveStatus } from '@vigil/plugin-incidents-common';
import { IncidentReader } from '../incidents/IncidentStore';
import { IncidentService } from '../incidents/IncidentService';

/**
 * The incident changes alert intake and storms make, as system actors:
 * moves and merges that may lose a race or no longer apply, which is fine.
 */
export class AlertIncidentActions {
  constructor(
    private readonly incidents: IncidentService,
    private readonly reader: IncidentReader,
  ) {}

  /** Moves an active incident, unless it moved on or another request won. */
  async tryMove(
    id: string,
    to: 'resolved' | 'investigating',
    message: string,
    actor: string,
  ) {
    const incident = await this.reader.get(id);
    if (!incident || !isActiveStatus(incident.status)) return;
    if (to === 'investigating' && incident.status !== 'open') return;
    try {
      await this.incidents.moveAsSystem(id, to, message, actor);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  /** Merges an active top-level incident into a parent, unless done already. */
  async tryMerge(childId: string, parentId: string, actor: string) {
    const child = await this.reader.get(childId);
    if (
      !child ||
      child.parentId ||
      child.id === parentId ||
      !isActiveStatus(child.status)
    ) {
      return;
    }
    try {
      await this.incidents.mergeAsSystem(childId, parentId, actor);
    } catch (error) {
      // Another request merged it first.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
