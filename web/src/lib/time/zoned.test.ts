import { beforeAll, describe, expect, it } from 'vitest';
import { formatDate, formatDay, formatTime } from './format';
import {
	addDays,
	dayKeyOf,
	dayRange,
	fromLocalInput,
	groupByDay,
	offsetMinutes,
	parseDayKey,
	startOfDay,
	toLocalInput,
	weekStart,
	zonedInstant
} from './zoned';

const CLINIC = 'America/Guayaquil'; // UTC-5 all year
const NEW_YORK = 'America/New_York'; // DST: 8 March 2026 (spring), 1 November 2026 (autumn)

beforeAll(() => {
	// The browser is in Tokyo (UTC+9, 14 hours ahead of the clinic). Node reads TZ
	// again when it changes; the first check proves the run really is in Tokyo.
	process.env.TZ = 'Asia/Tokyo';
	expect(new Date(Date.UTC(2026, 2, 2, 0, 0)).getHours()).toBe(9);
});

describe("the clinic's day, with the browser in Tokyo", () => {
	it("puts a 22:00 slot on the clinic's day, not on Tokyo's next day", () => {
		const late = '2026-03-03T03:00:00Z'; // 22:00 on 2 March in Guayaquil, 12:00 on 3 March in Tokyo
		expect(new Date(late).getDate()).toBe(3); // the browser's own reading
		expect(dayKeyOf(late, CLINIC)).toBe('2026-03-02');
	});

	it('groups slots by the clinic’s day, in order', () => {
		const slots = [
			{ start: '2026-03-03T14:00:00Z' }, // 09:00 on 3 March
			{ start: '2026-03-03T03:00:00Z' }, // 22:00 on 2 March
			{ start: '2026-03-02T14:00:00Z' } // 09:00 on 2 March
		];
		const groups = groupByDay(slots, (slot) => slot.start, CLINIC);

		expect([...groups.keys()]).toEqual(['2026-03-02', '2026-03-03']);
		expect(groups.get('2026-03-02')?.map((slot) => slot.start)).toEqual(['2026-03-02T14:00:00Z', '2026-03-03T03:00:00Z']);
	});

	it("shows times on the clinic's clock, in the UI's language", () => {
		expect(formatTime('2026-03-03T03:00:00Z', CLINIC, 'es')).toBe('22:00');
		expect(formatTime('2026-03-03T03:00:00Z', CLINIC, 'es-EC')).toMatch(/^10:00\sp\.\s?m\.$/); // Ecuador's own habit
		expect(formatTime('2026-03-02T14:00:00-00:00', CLINIC, 'es')).toBe('09:00');
		expect(formatTime('2026-03-03T03:00:00Z', CLINIC, 'en')).toMatch(/^10:00\s?PM$/);
		expect(formatDate('2026-03-03T03:00:00Z', CLINIC, 'es')).toBe('lunes, 2 de marzo de 2026');
	});

	it("asks the API for the clinic's midnight to midnight", () => {
		expect(dayRange('2026-03-02', '2026-03-02', CLINIC)).toEqual({
			from: '2026-03-02T05:00:00.000Z',
			to: '2026-03-03T05:00:00.000Z'
		});
		expect(offsetMinutes('2026-03-02T12:00:00Z', CLINIC)).toBe(-300);
	});

	it('reads a datetime-local value as clinic time and writes it back the same', () => {
		const instant = fromLocalInput('2026-03-02T09:30', CLINIC);
		expect(instant.toISOString()).toBe('2026-03-02T14:30:00.000Z');
		expect(toLocalInput(instant, CLINIC)).toBe('2026-03-02T09:30');
	});

	it('names a calendar day without any zone moving it', () => {
		expect(formatDay('2026-03-02', 'es')).toBe('lunes, 2 de marzo de 2026');
		expect(formatDay('2026-03-02', 'en', 'short')).toBe('Mon, Mar 2');
	});
});

describe('a clinic in a zone with daylight saving', () => {
	it('has a 23-hour day in spring and a 25-hour day in autumn', () => {
		const hours = (day: string) => (startOfDay(addDays(day, 1), NEW_YORK).getTime() - startOfDay(day, NEW_YORK).getTime()) / 3600_000;
		expect(hours('2026-03-08')).toBe(23);
		expect(hours('2026-11-01')).toBe(25);
		expect(hours('2026-03-09')).toBe(24);
	});

	it('reads a wall time on each side of the change with the right offset', () => {
		expect(zonedInstant({ year: 2026, month: 3, day: 7, hour: 9, minute: 0 }, NEW_YORK).toISOString()).toBe('2026-03-07T14:00:00.000Z');
		expect(zonedInstant({ year: 2026, month: 3, day: 9, hour: 9, minute: 0 }, NEW_YORK).toISOString()).toBe('2026-03-09T13:00:00.000Z');
	});

	it('moves a wall time the spring change skips to just after the gap', () => {
		// 02:30 does not exist on 8 March 2026 in New York: it is read as 03:30 EDT.
		const instant = zonedInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, NEW_YORK);
		expect(instant.toISOString()).toBe('2026-03-08T07:30:00.000Z');
		expect(formatTime(instant, NEW_YORK, 'es')).toBe('03:30');
	});

	it('takes the first of the two 01:30s in autumn', () => {
		const instant = zonedInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NEW_YORK);
		expect(instant.toISOString()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT, not 01:30 EST
	});

	it('keeps the clinic’s day across the change for a late slot', () => {
		expect(dayKeyOf('2026-03-09T03:30:00Z', NEW_YORK)).toBe('2026-03-08'); // 23:30 EDT on the 8th
	});
});

describe('calendar arithmetic on days', () => {
	it('crosses months, leap days and years', () => {
		expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
	});

	it('starts weeks on Monday', () => {
		expect(weekStart('2026-03-04')).toBe('2026-03-02'); // a Wednesday
		expect(weekStart('2026-03-08')).toBe('2026-03-02'); // a Sunday
		expect(weekStart('2026-03-02')).toBe('2026-03-02');
	});

	it('refuses days that do not exist', () => {
		expect(() => parseDayKey('2026-02-30')).toThrow(RangeError);
		expect(() => parseDayKey('2026-3-2')).toThrow(RangeError);
	});
});
