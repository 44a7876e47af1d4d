import {
  Postmortem,
  PostmortemStatus,
  PostmortemSummary,
} from '@vigil/plugin-incidents-common';
import { IncidentSummary } from '../incidents/IncidentStore';
import { toIso } from '../lib/rows';

type Timestamp = Date | string | number;

/** A row of `incident_postmortem`. */
export type PostmortemRow = {
  id: string;
  incident_id: string;
  title: string;
  body: string;
  status: PostmortemStatus;
  version: number;
  revision: number;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  published_by: string | null;
  published_at: Timestamp | null;
};

/** A postmortem with the summary of its incident (and its body if asked). */
export function toPostmortem(
  row: PostmortemRow,
  incident: IncidentSummary,
  includeBody: boolean,
): Postmortem {
  const summary: PostmortemSummary = {
    id: row.id,
    incident: {
      id: incident.id,
      ref: incident.ref,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      affectedServices: incident.affectedServices,
      commander: incident.commander,
      openedAt: incident.openedAt,
      resolvedAt: incident.resolvedAt,
    },
    title: row.title,
    status: row.status,
    version: Number(row.version),
    revision: Number(row.revision),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at)!,
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at)!,
    submittedBy: row.submitted_by ?? undefined,
    submittedAt: toIso(row.submitted_at),
    publishedBy: row.published_by ?? undefined,
    publishedAt: toIso(row.published_at),
  };
  return (includeBody ? { ...summary, body: row.body } : summary) as Postmortem;
}
