import { DateTime } from 'luxon';

/** `datetime-local` input format, in the browser's time zone. */
const LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm";

export function toLocalInput(date: DateTime): string {
  return date.toFormat(LOCAL_FORMAT);
}

/** An ISO timestamp from a `datetime-local` value, or undefined. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) {
    return undefined;
  }
  const date = DateTime.fromFormat(value, LOCAL_FORMAT);
  return date.isValid ? date.toUTC().toISO()! : undefined;
}
