/**
 * Human references of incidents (`INC-<n>`): the one place they are formatted
 * and parsed. Every endpoint takes an incident's id or its reference.
 */

const REF_PATTERN = /^INC-(\d{1,15})$/i;
const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `INC-<n>` of a stored reference number. */
export function formatIncidentRef(refNumber: number | string): string {
  return `INC-${refNumber}`;
}

/** The number of an `INC-<n>` reference, or undefined if it is not one. */
export function parseIncidentRef(text: string): number | undefined {
  const match = REF_PATTERN.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Whether the text is a UUID (incident, action item and alert ids). */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/** The WHERE of an incident's id or `INC-<n>`; undefined when neither. */
export function whereIdOrRef(
  idOrRef: string,
): { ref_number: number } | { id: string } | undefined {
  const refNumber = parseIncidentRef(idOrRef);
  if (refNumber !== undefined) {
    return { ref_number: refNumber };
  }
  return isUuid(idOrRef) ? { id: idOrRef.toLowerCase() } : undefined;
}
