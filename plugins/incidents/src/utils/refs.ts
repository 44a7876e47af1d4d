import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Turns what someone typed (`alice`, `user:alice`, `user:default/alice`) into a
 * full user ref; undefined for blank input. Throws on input that isn't a user
 * ref, such as a group.
 */
export function toUserRef(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed) {
    return undefined;
  }
  const ref = parseEntityRef(trimmed, {
    defaultKind: 'user',
    defaultNamespace: 'default',
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new Error(`${trimmed} is not a user`);
  }
  return stringifyEntityRef(ref);
}

/** Splits comma- or newline-separated input, dropping blanks and duplicates. */
export function splitList(input: string): string[] {
  const items = input
    .split(/[,\n]/)
    .map(s => s.trim())
    .filter(Boolean);
  return Array.from(new Set(items));
}

/**
 * Whether an actor can be linked to the catalog: users and groups are,
 * named system actors (`system:storm-detector`) are not catalog entities.
 */
export function isLinkableActor(ref: string): boolean {
  try {
    const kind = parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
    return kind === 'user' || kind === 'group';
  } catch {
    return false;
  }
}
