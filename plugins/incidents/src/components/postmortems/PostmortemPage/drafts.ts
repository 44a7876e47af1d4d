/**
 * Unsaved postmortem edits kept in this browser's localStorage, one draft
 * per incident, keyed by the incident and the server version the edit
 * started from: a draft of an older version is offered, never saved over
 * the newer one.
 */
export interface PostmortemDraft {
  incidentId: string;
  /** The postmortem version the edit started from. */
  baseVersion: number;
  body: string;
  /** ISO 8601 time of the last keystroke kept. */
  savedAt: string;
}

const PREFIX = 'vigil:postmortem-draft:';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Storage disabled (privacy settings): no drafts, the editor still works.
    return undefined;
  }
}

function keysOf(store: Storage, incidentId: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(`${PREFIX}${incidentId}:`)) {
      keys.push(key);
    }
  }
  return keys;
}

/** The incident's draft, if this browser keeps one. */
export function readDraft(incidentId: string): PostmortemDraft | undefined {
  const store = storage();
  if (!store) {
    return undefined;
  }
  const drafts = keysOf(store, incidentId).flatMap(key => {
    try {
      const draft = JSON.parse(store.getItem(key) ?? '') as PostmortemDraft;
      return typeof draft.body === 'string' &&
        typeof draft.baseVersion === 'number'
        ? [draft]
        : [];
    } catch {
      return [];
    }
  });
  return drafts.sort((a, b) => b.savedAt.localeCompare(a.savedAt))[0];
}

/** Keeps the edit as the incident's one draft. */
export function writeDraft(draft: Omit<PostmortemDraft, 'savedAt'>) {
  const store = storage();
  if (!store) {
    return;
  }
  const key = `${PREFIX}${draft.incidentId}:${draft.baseVersion}`;
  try {
    for (const old of keysOf(store, draft.incidentId)) {
      if (old !== key) {
        store.removeItem(old);
      }
    }
    store.setItem(
      key,
      JSON.stringify({ ...draft, savedAt: new Date().toISOString() }),
    );
  } catch {
    // Over quota: the edit is still in the editor, just not kept.
  }
}

/** Forgets the incident's draft (saved, or discarded by the user). */
export function clearDraft(incidentId: string) {
  const store = storage();
  if (store) {
    keysOf(store, incidentId).forEach(key => store.removeItem(key));
  }
}
