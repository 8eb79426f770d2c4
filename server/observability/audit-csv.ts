// CSV for the audit log export: RFC 4180 quoting, and every cell that a
// spreadsheet would run as a formula (= + - @, tab, carriage return) is
// prefixed with an apostrophe so it stays text (OWASP "CSV injection").
import type { AuditLogEvent } from './audit-log';

export const AUDIT_CSV_HEADER = ['position', 'time_utc', 'actor_id', 'actor_email', 'action', 'target', 'metadata', 'hash'];

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function auditCsvLine(event: AuditLogEvent): string {
  return csvLine([
    event.seq,
    event.createdAt.toISOString(),
    event.actorUserId,
    event.actorEmail,
    event.action,
    event.target,
    JSON.stringify(event.metadata),
    event.hash,
  ]);
}
