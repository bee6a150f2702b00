/**
 * Human-readable dates and times in the clinic's zone, in the UI's language. Every
 * formatter passes `timeZone`, so the browser's own zone never shows through.
 */
import { parseDayKey, toDate, type DayKey } from './zoned';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
	let found = cache.get(key);
	if (!found) {
		found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
		cache.set(key, found);
	}
	return found;
}

/** 09:30, or 9:30 a. m.: the clock the locale uses (es-EC and en-US count 12 hours). */
export function formatTime(instant: Date | string, timeZone: string, locale: string): string {
	return formatter(locale, timeZone, { hour: '2-digit', minute: '2-digit' }).format(toDate(instant));
}

/** lunes, 2 de marzo de 2026 */
export function formatDate(instant: Date | string, timeZone: string, locale: string): string {
	return formatter(locale, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
		toDate(instant)
	);
}

/** lunes, 2 de marzo de 2026, 09:30 */
export function formatDateTime(instant: Date | string, timeZone: string, locale: string): string {
	return formatter(locale, timeZone, {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	}).format(toDate(instant));
}

/**
 * A clinic day (a day key, not an instant) in words: read at noon UTC and formatted in
 * UTC, so no zone can move it to the day before or after.
 */
export function formatDay(key: DayKey, locale: string, style: 'long' | 'short' = 'long'): string {
	const { year, month, day } = parseDayKey(key);
	const noon = new Date(Date.UTC(year, month - 1, day, 12));
	const options: Intl.DateTimeFormatOptions =
		style === 'long'
			? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
			: { weekday: 'short', day: 'numeric', month: 'short' };
	return formatter(locale, 'UTC', options).format(noon);
}

/** The name of the zone for the "times are the clinic's" note, e.g. "hora de Ecuador". */
export function zoneName(timeZone: string, locale: string, at: Date = new Date()): string {
	const part = formatter(locale, timeZone, { timeZoneName: 'longGeneric' })
		.formatToParts(at)
		.find((item) => item.type === 'timeZoneName');
	return part?.value ?? timeZone;
}
