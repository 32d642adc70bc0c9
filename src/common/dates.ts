/**
 * Date filter arguments. A partial date stands for its whole period, so that month-precision
 * meetings can be matched by overlap: `from: "2023"` starts on 1 January, `to: "2023-10"` ends
 * on 31 October.
 */
import { badUserInput } from './errors';

const PARTIAL = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;

export function parseDateBound(value: string, bound: 'start' | 'end', argumentName: string): Date {
  const match = PARTIAL.exec(value);
  if (!match) throw badUserInput(argumentName, `must be a date as YYYY-MM-DD, YYYY-MM or YYYY, got "${value}"`);
  const [, y, m, d] = match;
  const year = Number(y);
  if (d) {
    const date = new Date(`${value}T00:00:00Z`);
    if (date.toISOString().slice(0, 10) !== value) throw badUserInput(argumentName, `"${value}" is not a calendar date`);
    return date;
  }
  if (m) {
    const month = Number(m) - 1;
    return bound === 'start' ? new Date(Date.UTC(year, month, 1)) : new Date(Date.UTC(year, month + 1, 0));
  }
  return bound === 'start' ? new Date(Date.UTC(year, 0, 1)) : new Date(Date.UTC(year, 11, 31));
}
