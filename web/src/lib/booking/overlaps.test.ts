import { describe, expect, it } from 'vitest';
import { ApiError, errorFromResponse } from '$lib/api/errors';
import { overlappingBookingIds } from './overlaps';

const refusal = (code: string, ids: string[]) =>
	errorFromResponse(
		409,
		JSON.stringify({
			error: {
				code,
				message: `the closure overlaps ${ids.length} booking(s); move or cancel them first`,
				requestId: 'req-1',
				details: ids.map((id) => ({ field: 'closure', message: id, type: 'overlapping_booking' }))
			}
		}),
		null
	);

describe('appointments in the way of a closure or time off', () => {
	it("are the ids the API's 409 lists, once each", () => {
		expect(overlappingBookingIds(refusal('CLOSURE_OVERLAPS_BOOKINGS', ['b1', 'b2', 'b1']))).toEqual(['b1', 'b2']);
		expect(overlappingBookingIds(refusal('TIME_OFF_OVERLAPS_BOOKINGS', ['b3']))).toEqual(['b3']);
	});

	it('are none for any other failure, which is shown as it is', () => {
		expect(overlappingBookingIds(refusal('CONCURRENT_MODIFICATION', []))).toBeNull();
		expect(overlappingBookingIds(new ApiError(422, 'INVALID_VALUE', 'bad', 'r', [{ field: 'end', message: 'b1', type: 'value_error' }]))).toBeNull();
		expect(overlappingBookingIds(new Error('boom'))).toBeNull();
	});
});
