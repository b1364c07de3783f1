/**
 * CSV as RFC 4180 has it (CRLF rows, a field with a quote, comma or line break quoted, quotes
 * doubled), and safe to open in a spreadsheet: a cell starting with = + - @ (or a tab or carriage
 * return) would be read as a formula, so it gets a leading apostrophe (OWASP "CSV injection").
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
