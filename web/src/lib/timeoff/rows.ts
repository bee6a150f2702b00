/**
 * Time off as the forms edit it: rows of the clinic's wall-clock time (`datetime-local`
 * values read in the clinic's zone), turned into the API's instants and back. Used by
 * the professional's editor (managers) and the blocked-time page (a dentist, reception).
 */
import type { TimeOff } from '$lib/api/types';
import { fromLocalInput, toLocalInput } from '$lib/time/zoned';

/** A time-off row as edited: `YYYY-MM-DDTHH:mm` in the clinic's zone. */
export interface TimeOffRow {
	start: string;
	end: string;
	reason: string;
}

export function toRows(timeOff: readonly TimeOff[] | null | undefined, timeZone: string): TimeOffRow[] {
	return (timeOff ?? []).map((item) => ({
		start: toLocalInput(item.start, timeZone),
		end: toLocalInput(item.end, timeZone),
		reason: item.reason ?? ''
	}));
}

export function fromRows(rows: readonly TimeOffRow[], timeZone: string): TimeOff[] {
	return rows.map((row) => ({
		start: fromLocalInput(row.start, timeZone).toISOString(),
		end: fromLocalInput(row.end, timeZone).toISOString(),
		reason: row.reason.trim() || null
	}));
}

/** Every row has both ends and ends after it starts. */
export function rowsValid(rows: readonly TimeOffRow[]): boolean {
	return rows.every((row) => row.start && row.end && row.end > row.start);
}
