/**
 * The most useful message of an error: for a backend `ResponseError` the
 * server's own message (which, for a 409, names the allowed moves) rather than
 * the generic "Request failed with 409 Conflict".
 */
export function describeError(error: unknown): string {
  const e = error as {
    message?: string;
    statusCode?: number;
    cause?: { message?: string };
  };
  const message = e?.cause?.message || e?.message || String(error);
  if (e?.statusCode === 403) {
    return `Not allowed: ${message}`;
  }
  return message;
}
