/**
 * A closure or a professional's time off over live appointments is refused (409
 * `CLOSURE_OVERLAPS_BOOKINGS`, `TIME_OFF_OVERLAPS_BOOKINGS`) with one `details` item per
 * appointment (`{field, message: <booking id>, type: "overlapping_booking"}`): the
 * screens show those appointments so that the clinic can move or cancel them first.
 */
import { asApiError } from '$lib/api/errors';

export const OVERLAPPING_BOOKING = 'overlapping_booking';

/** The ids of the appointments a refusal names, or null when it is another failure. */
export function overlappingBookingIds(failure: unknown): string[] | null {
	const problem = asApiError(failure);
	if (problem.status !== 409) return null;
	const ids = problem.details.filter((item) => item.type === OVERLAPPING_BOOKING).map((item) => item.message);
	return ids.length > 0 ? [...new Set(ids)] : null;
}
