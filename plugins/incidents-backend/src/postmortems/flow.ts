/*
 * The postmortem flow's rules: which moves are allowed, what each records,
 * and what a refused write says. The store applies them compare-and-set.
 */
import { ConflictError } from '@backstage/errors';
import {
  allowedPostmortemMoves,
  describeIllegalPostmortemMove,
  Postmortem,
  PostmortemStatus,
} from '@vigil/plugin-incidents-common';

/** A move of a postmortem, decided from its state as last read. */
export interface PostmortemMove {
  from: { status: PostmortemStatus; version: number };
  to: PostmortemStatus;
  /** The new revision number (a new one when a published one reopens). */
  revision: number;
  reopening: boolean;
  message: string;
  auditAction: string;
}

/** The verbs of postmortem moves, for events and signals. */
export const MOVE_VERBS: Record<PostmortemStatus, string> = {
  review: 'postmortem_in_review',
  draft: 'postmortem_draft',
  published: 'postmortem_published',
};

/**
 * The move of `current` to `to`; with `version`, only from that version (so
 * nobody publishes text they have not seen).
 */
export function planPostmortemMove(
  current: Postmortem,
  to: PostmortemStatus,
  version: number | undefined,
): PostmortemMove {
  const ref = current.incident.ref;
  if (version !== undefined && version !== current.version) {
    throw staleVersion(ref, version, current);
  }
  if (!allowedPostmortemMoves(current.status).includes(to)) {
    throw new ConflictError(
      `${describeIllegalPostmortemMove(current.status, to)} (${ref})`,
    );
  }
  const reopening = current.status === 'published' && to === 'draft';
  const message = {
    review: 'Postmortem sent to review',
    draft: reopening
      ? `Postmortem reopened as revision ${current.revision + 1}`
      : 'Postmortem sent back to draft',
    published: `Postmortem published (revision ${current.revision})`,
  }[to];
  return {
    from: { status: current.status, version: current.version },
    to,
    revision: reopening ? current.revision + 1 : current.revision,
    reopening,
    message,
    auditAction: `postmortem_${reopening ? 'reopened' : to}`,
  };
}

/** Refuses a save of a published postmortem. */
export function assertEditable(current: Postmortem) {
  if (current.status === 'published') {
    throw new ConflictError(
      `The postmortem of ${current.incident.ref} is published and read-only; start a new revision to change it`,
    );
  }
}

/** The conflict of a write made from a version that is no longer current. */
export function staleVersion(
  ref: string,
  version: number,
  current: Pick<
    Postmortem,
    'status' | 'version' | 'publishedBy' | 'updatedBy' | 'updatedAt'
  >,
): ConflictError {
  if (current.status === 'published' && current.version !== version) {
    return new ConflictError(
      `The postmortem of ${ref} was published by ${current.publishedBy} (version ${current.version}) since you loaded version ${version}; it is read-only now`,
    );
  }
  return new ConflictError(
    `The postmortem of ${ref} was changed by ${current.updatedBy} at ${current.updatedAt} (now version ${current.version}) since you loaded version ${version}; reload it and apply your changes again`,
  );
}
