import type { TimeRange, WeeklySchedule } from '$lib/api/types';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type EditableSchedule = Record<Weekday, TimeRange[]>;

export function editable(schedule: WeeklySchedule | null | undefined): EditableSchedule {
	return Object.fromEntries(
		WEEKDAYS.map((day) => [day, (schedule?.[day] ?? []).map((range) => ({ ...range }))])
	) as EditableSchedule;
}

/** The schedule as the API takes it: days without ranges left out. */
export function toSchedule(schedule: EditableSchedule): WeeklySchedule {
	const result: WeeklySchedule = {};
	for (const day of WEEKDAYS) if (schedule[day].length > 0) result[day] = schedule[day];
	return result;
}

/** Ranges whose end is not after their start, as [day, index] pairs. */
export function invalidRanges(schedule: EditableSchedule): [Weekday, number][] {
	const problems: [Weekday, number][] = [];
	for (const day of WEEKDAYS) {
		schedule[day].forEach((range, index) => {
			if (!range.start || !range.end || range.end <= range.start) problems.push([day, index]);
		});
	}
	return problems;
}

/** Weekday names in the UI's language (1 January 2024 was a Monday). */
export function weekdayName(index: number, locale: string): string {
	return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
		new Date(Date.UTC(2024, 0, 1 + index, 12))
	);
}
