/** Proleptic Gregorian calendar arithmetic on day and second counts, as Go's time package does it. */

export const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date; day overflow rolls into the next month. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A civil date and time of day; civilFromEpoch fills one in place. */
export interface Civil {
  year: number;
  month: number;
  day: number;
  secOfDay: number;
}

/** Scratch result for civilFromEpoch: formatting runs per event, so no object per call. Read it right after. */
export const civil: Civil = { year: 0, month: 0, day: 0, secOfDay: 0 };

/** Fills `civil` with the date and time of day of a count of local seconds since 1970-01-01. */
export function civilFromEpoch(localSec: number): void {
  const days = Math.floor(localSec / 86400);
  civil.secOfDay = localSec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  civil.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  civil.month = month;
  civil.year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}
