import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Runs a change as one event of Backstage's auditor service: created before
 * the change, marked a success with what it changed (`meta`) or a failure
 * with the error, which is thrown on.
 * @internal
 */
export async function audited<T>(
  auditor: AuditorService,
  event: { eventId: string; request?: Request },
  action: () => Promise<T>,
  meta: (result: T) => JsonObject,
): Promise<T> {
  const auditorEvent = await auditor.createEvent({
    eventId: event.eventId,
    request: event.request,
    severityLevel: 'medium',
  });
  try {
    const result = await action();
    await auditorEvent.success({ meta: meta(result) });
    return result;
  } catch (error) {
    await auditorEvent.fail({ error: error as Error });
    throw error;
  }
}
