import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The actor recorded for a change: the user's entity ref, or a named system
 * actor for services (`system:scaffolder`, `system:alertmanager`).
 */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    const subject = principal.subject
      .replace(/^plugin:/, '')
      .replace(/^external:/, '');
    return `system:${subject}`;
  }
  return 'system:unknown';
}

/**
 * Parses an entity ref given by a caller into its full, lower-case form
 * (`payments-api` → `component:default/payments-api`); with `defaultKind:
 * 'user'` it must name a user. A bad ref is an InputError naming the field.
 */
export function normalizeEntityRef(
  ref: string,
  defaultKind: 'component' | 'user' | 'group',
  field: string,
): string {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind,
      defaultNamespace: 'default',
    });
    if (
      defaultKind !== 'component' &&
      parsed.kind.toLowerCase() !== defaultKind
    ) {
      throw new Error(`not a ${defaultKind}`);
    }
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(
      `${field}: '${ref}' is not a valid ${
        defaultKind === 'component' ? '' : `${defaultKind} `
      }entity reference`,
    );
  }
}
