import { InputError } from '@backstage/errors';
import { toIso } from '../../lib/rows';

/** The columns whose cursor values are timestamps. */
export const DATE_SORT_COLUMNS = new Set(['opened_at', 'updated_at']);

/**
 * List cursors: the sort column, the last row's value in it, its opening time
 * when that breaks ties (`t`) and its id, as base64url JSON. A cursor of
 * another sort is a 400.
 */
export function encodeCursor(
  column: string,
  value: unknown,
  id: string,
  openedAt?: unknown,
): string {
  const v = DATE_SORT_COLUMNS.has(column)
    ? toIso(value as Date)
    : String(value);
  const t = openedAt === undefined ? undefined : toIso(openedAt as Date);
  return Buffer.from(JSON.stringify({ c: column, v, t, id })).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string, column: string) {
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    parsed.c !== column ||
    typeof parsed.v !== 'string' ||
    typeof parsed.id !== 'string'
  ) {
    throw new InputError(
      'Invalid cursor: use the nextCursor of a list with the same sort',
    );
  }
  return parsed as { c: string; v: string; t?: string; id: string };
}
