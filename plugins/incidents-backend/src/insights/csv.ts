import { stringify } from 'csv-stringify/sync';

/**
 * Rows as RFC 4180 CSV with a header row (csv-stringify: quoting, CRLF line
 * ends). `columns` names the header and how each value is read.
 */
export function toCsv<T>(
  rows: T[],
  columns: Array<[header: string, value: (row: T) => unknown]>,
): string {
  return stringify(
    rows.map(row =>
      columns.map(([, value]) => {
        const v = value(row);
        return v === null || v === undefined ? '' : v;
      }),
    ),
    {
      header: true,
      columns: columns.map(([header]) => header),
      record_delimiter: '\r\n',
    },
  );
}
