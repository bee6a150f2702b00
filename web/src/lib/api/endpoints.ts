import type { HttpClient } from './client';
import type { Body, Booking, BookingStatus, Ok, Query, Role, User } from './types';

/** Follow `nextCursor` until the end or `maxPages`, for lists the screens show whole. */
async function allPages<T>(
	fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>,
	maxPages = 20
): Promise<T[]> {
	const items: T[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < maxPages; page++) {
		const answer = await fetchPage(cursor);
		items.push(...answer.items);
		if (!answer.nextCursor) break;
		cursor = answer.nextCursor;
	}
	return items;
}

const id = (value: string) => encodeURIComponent(value);

/** Every API operation the app uses, typed from the OpenAPI document. */
export function createApi(http: HttpClient) {
	return {
		tenant: {
			get: () => http.request<Ok<'getTenant'>>('GET', '/tenant', { retry: true }),
			update: (patch: Body<'updateTenant'>) => http.request<Ok<'updateTenant'>>('PATCH', '/tenant', { body: patch })
		},
		professionals: {
			list: async () =>
				(await http.request<Ok<'listProfessionals'>>('GET', '/professionals', { retry: true })).items,
			get: (professionalId: string) =>
				http.request<Ok<'getProfessional'>>('GET', `/professionals/${id(professionalId)}`, { retry: true }),
			create: (body: Body<'createProfessional'>) =>
				http.request<Ok<'createProfessional'>>('POST', '/professionals', { body }),
			update: (professionalId: string, patch: Body<'updateProfessional'>) =>
				http.request<Ok<'updateProfessional'>>('PATCH', `/professionals/${id(professionalId)}`, { body: patch }),
			remove: (professionalId: string) =>
				http.request<void>('DELETE', `/professionals/${id(professionalId)}`),
			/** Replace a professional's whole time off (a dentist: their own; reception: anyone's). */
			setTimeOff: (professionalId: string, body: Body<'setTimeOff'>) =>
				http.request<Ok<'setTimeOff'>>('PUT', `/professionals/${id(professionalId)}/time-off`, { body })
		},
		closures: {
			list: async () => (await http.request<Ok<'listClosures'>>('GET', '/closures', { retry: true })).items,
			create: (body: Body<'createClosure'>) => http.request<Ok<'createClosure'>>('POST', '/closures', { body }),
			remove: (closureId: string) => http.request<void>('DELETE', `/closures/${id(closureId)}`)
		},
		treatments: {
			list: async () => (await http.request<Ok<'listTreatments'>>('GET', '/treatments', { retry: true })).items,
			create: (body: Body<'createTreatment'>) => http.request<Ok<'createTreatment'>>('POST', '/treatments', { body }),
			update: (treatmentId: string, patch: Body<'updateTreatment'>) =>
				http.request<Ok<'updateTreatment'>>('PATCH', `/treatments/${id(treatmentId)}`, { body: patch }),
			remove: (treatmentId: string) => http.request<void>('DELETE', `/treatments/${id(treatmentId)}`)
		},
		availability: (query: Query<'getAvailability'>) =>
			http.request<Ok<'getAvailability'>>('GET', '/availability', { query, retry: true }),
		bookings: {
			list: (query: Query<'listBookings'> = {}) =>
				http.request<Ok<'listBookings'>>('GET', '/bookings', { query, retry: true }),
			/** Every page of a listing (a day, a week, a patient's year). */
			listAll: (query: Omit<Query<'listBookings'>, 'cursor'> = {}): Promise<Booking[]> =>
				allPages((cursor) =>
					http.request<Ok<'listBookings'>>('GET', '/bookings', {
						query: { limit: 100, ...query, cursor },
						retry: true
					})
				),
			get: (bookingId: string) => http.request<Ok<'getBooking'>>('GET', `/bookings/${id(bookingId)}`, { retry: true }),
			/**
			 * Book a slot. `idempotencyKey` comes from the attempt (BookingAttempt): the
			 * retries here and any retry by the user send the same key.
			 */
			create: (body: Body<'createBooking'>, idempotencyKey: string) =>
				http.request<Ok<'createBooking'>>('POST', '/bookings', {
					body,
					headers: { 'Idempotency-Key': idempotencyKey },
					retry: true
				}),
			reschedule: (bookingId: string, body: Body<'rescheduleBooking'>) =>
				http.request<Ok<'rescheduleBooking'>>('PUT', `/bookings/${id(bookingId)}`, { body }),
			setStatus: (bookingId: string, status: Extract<BookingStatus, 'completed' | 'no_show'>) =>
				http.request<Ok<'changeBookingStatus'>>('PATCH', `/bookings/${id(bookingId)}`, { body: { status } }),
			cancel: (bookingId: string, reason?: string) =>
				http.request<Ok<'cancelBooking'>>('DELETE', `/bookings/${id(bookingId)}`, {
					body: reason ? { reason } : {}
				})
		},
		users: {
			listAll: (role?: Role): Promise<User[]> =>
				allPages((cursor) =>
					http.request<Ok<'listUsers'>>('GET', '/users', { query: { role, limit: 100, cursor }, retry: true })
				),
			/** One page of users: all, of a role, or found by the start of a name, email or phone. */
			search: (query: Query<'listUsers'>) =>
				http.request<Ok<'listUsers'>>('GET', '/users', { query, retry: true }),
			get: (userId: string) => http.request<Ok<'getUser'>>('GET', `/users/${id(userId)}`, { retry: true }),
			create: (body: Body<'createUser'>) => http.request<Ok<'createUser'>>('POST', '/users', { body }),
			update: (userId: string, patch: Body<'updateUser'>) =>
				http.request<Ok<'updateUser'>>('PATCH', `/users/${id(userId)}`, { body: patch }),
			disable: (userId: string) => http.request<Ok<'disableUser'>>('POST', `/users/${id(userId)}/disable`),
			enable: (userId: string) => http.request<Ok<'enableUser'>>('POST', `/users/${id(userId)}/enable`)
		},
		/** The caller's own record: a patient's profile. */
		me: {
			get: () => http.request<Ok<'getProfile'>>('GET', '/me', { retry: true }),
			update: (patch: Body<'updateProfile'>) => http.request<Ok<'updateProfile'>>('PATCH', '/me', { body: patch })
		}
	};
}

export type Api = ReturnType<typeof createApi>;
