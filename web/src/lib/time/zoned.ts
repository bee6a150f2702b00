/**
 * Dates and times in the clinic's time zone, whatever zone the browser is in.
 *
 * A "day key" is a calendar day as `YYYY-MM-DD` with no zone attached (the clinic's
 * day); an instant is a `Date` or an ISO string with an offset, as the API sends. Only
 * Intl (with `timeZone`) converts between the two, never the browser's own zone: no
 * `getHours()`, no `new Date(y, m, d)`.
 */

export type DayKey = string;

export interface WallTime {
	year: number;
	month: number; // 1–12
	day: number;
	hour: number;
	minute: number;
	second?: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
	let formatter = partsFormatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		partsFormatters.set(timeZone, formatter);
	}
	return formatter;
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function wallTime(instant: Date | string, timeZone: string): Required<WallTime> {
	const values: Record<string, number> = {};
	for (const part of partsFormatter(timeZone).formatToParts(toDate(instant))) {
		if (part.type !== 'literal') values[part.type] = Number(part.value);
	}
	return {
		year: values['year'] ?? 0,
		month: values['month'] ?? 0,
		day: values['day'] ?? 0,
		hour: (values['hour'] ?? 0) % 24,
		minute: values['minute'] ?? 0,
		second: values['second'] ?? 0
	};
}

export function toDate(instant: Date | string): Date {
	return typeof instant === 'string' ? new Date(instant) : instant;
}

/** Minutes to add to UTC to get the wall time in `timeZone` at `instant` (-300 for Guayaquil). */
export function offsetMinutes(instant: Date | string, timeZone: string): number {
	const date = toDate(instant);
	const wall = wallTime(date, timeZone);
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
	return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant at which the wall clock in `timeZone` reads `wall`. A wall time that a
 * DST change skips (02:30 on a spring-forward night) is read with the offset before
 * the change, i.e. it lands after the gap (03:30); one that happens twice (autumn)
 * is the first of the two.
 */
export function zonedInstant(wall: WallTime, timeZone: string): Date {
	const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
	const before = offsetMinutes(new Date(naive - 24 * 3600_000), timeZone);
	const after = offsetMinutes(new Date(naive + 24 * 3600_000), timeZone);
	// Try the earlier offset first (the first of a repeated hour), then the later one.
	for (const offset of before >= after ? [before, after] : [after, before]) {
		const candidate = new Date(naive - offset * 60_000);
		const seen = wallTime(candidate, timeZone);
		if (seen.hour === wall.hour && seen.minute === wall.minute && seen.day === wall.day) return candidate;
	}
	// In a gap: no instant reads this wall time; use the offset in force before the gap.
	return new Date(naive - before * 60_000);
}

export function dayKeyOf(instant: Date | string, timeZone: string): DayKey {
	const { year, month, day } = wallTime(instant, timeZone);
	return formatDayKey(year, month, day);
}

function formatDayKey(year: number, month: number, day: number): DayKey {
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function parseDayKey(key: DayKey): { year: number; month: number; day: number } {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
	if (!match) throw new RangeError(`not a day: ${key}`);
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const check = new Date(Date.UTC(year, month - 1, day));
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
		throw new RangeError(`not a day: ${key}`);
	}
	return { year, month, day };
}

export function isDayKey(value: string | null | undefined): value is DayKey {
	if (!value) return false;
	try {
		parseDayKey(value);
		return true;
	} catch {
		return false;
	}
}

/** Calendar arithmetic on days (no zone involved: a day is a day, DST or not). */
export function addDays(key: DayKey, days: number): DayKey {
	const { year, month, day } = parseDayKey(key);
	const date = new Date(Date.UTC(year, month - 1, day + days));
	return formatDayKey(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(key: DayKey): number {
	const { year, month, day } = parseDayKey(key);
	return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
}

/** The Monday of the week that holds `key`. */
export function weekStart(key: DayKey): DayKey {
	return addDays(key, -weekdayIndex(key));
}

export function daysFrom(start: DayKey, count: number): DayKey[] {
	return Array.from({ length: count }, (_, index) => addDays(start, index));
}

/** The instant the clinic's day starts (midnight there; 23 or 25 hours long on DST days). */
export function startOfDay(key: DayKey, timeZone: string): Date {
	return zonedInstant({ ...parseDayKey(key), hour: 0, minute: 0 }, timeZone);
}

/** The instants [start, end) of the clinic's days from `first` to `last`, both included. */
export function dayRange(first: DayKey, last: DayKey, timeZone: string): { from: string; to: string } {
	return {
		from: startOfDay(first, timeZone).toISOString(),
		to: startOfDay(addDays(last, 1), timeZone).toISOString()
	};
}

export function todayIn(timeZone: string, now: Date = new Date()): DayKey {
	return dayKeyOf(now, timeZone);
}

/** Group items by the clinic's day of `instantOf(item)`, days in order, items in order. */
export function groupByDay<T>(items: readonly T[], instantOf: (item: T) => string, timeZone: string): Map<DayKey, T[]> {
	const sorted = [...items].sort((a, b) => toDate(instantOf(a)).getTime() - toDate(instantOf(b)).getTime());
	const groups = new Map<DayKey, T[]>();
	for (const item of sorted) {
		const key = dayKeyOf(instantOf(item), timeZone);
		const group = groups.get(key);
		if (group) group.push(item);
		else groups.set(key, [item]);
	}
	return groups;
}

/** `YYYY-MM-DDTHH:mm` in the clinic's zone, for `<input type="datetime-local">`. */
export function toLocalInput(instant: Date | string, timeZone: string): string {
	const wall = wallTime(instant, timeZone);
	return `${formatDayKey(wall.year, wall.month, wall.day)}T${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
}

/** The instant of a `datetime-local` value read as the clinic's wall time. */
export function fromLocalInput(value: string, timeZone: string): Date {
	const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(value);
	if (!match || !match[1]) throw new RangeError(`not a local date-time: ${value}`);
	return zonedInstant({ ...parseDayKey(match[1]), hour: Number(match[2]), minute: Number(match[3]) }, timeZone);
}
