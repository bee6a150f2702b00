import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { client, header, json, scripted } from './scripted-fetch';
import { BookingAttempt } from './idempotency';

describe('the API client', () => {
	it('calls the API with the ID token and leaves empty query values out', async () => {
		const { fetch, calls } = scripted(json(200, { items: [], nextCursor: null }));
		const { api } = client(fetch);

		await api.bookings.list({ from: '2026-03-02T05:00:00.000Z', professionalId: null, status: undefined });

		expect(calls[0]?.url).toBe('https://clinic.example/api/bookings?from=2026-03-02T05%3A00%3A00.000Z');
		expect(header(calls[0], 'authorization')).toBe('Bearer id-token-1');
	});

	it("turns the API's error envelope into an ApiError with its message, code and requestId", async () => {
		const { fetch } = scripted(
			json(409, { error: { code: 'SLOT_TAKEN', message: 'the slot is taken', requestId: 'req-409' } })
		);
		const { api } = client(fetch);

		const error = await api.bookings.reschedule('b1', { start: '2026-03-02T09:00:00-05:00' }).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(ApiError);
		expect(error).toMatchObject({ status: 409, code: 'SLOT_TAKEN', message: 'the slot is taken', requestId: 'req-409' });
	});

	it('keeps the details of a validation error', async () => {
		const details = [{ field: 'durationMinutes', message: 'must be > 0', type: 'greater_than' }];
		const { fetch } = scripted(
			json(422, { error: { code: 'VALIDATION_ERROR', message: 'invalid', requestId: 'r', details } })
		);
		const { api } = client(fetch);

		const error = (await api.treatments.create({ name: 'x', durationMinutes: 0, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, active: true }).catch(
			(e: unknown) => e
		)) as ApiError;

		expect(error.details).toEqual(details);
	});

	it("reads API Gateway's plain 401 body, takes the request id from the header, and signs in again", async () => {
		const { fetch } = scripted(json(401, { message: 'Unauthorized' }, { 'x-request-id': 'gw-401' }));
		const { api, onUnauthorized } = client(fetch);

		const error = await api.tenant.get().catch((e: unknown) => e);

		expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: 'Unauthorized', requestId: 'gw-401' });
		expect(onUnauthorized).toHaveBeenCalledTimes(1);
	});

	it('does not call the API without a token: it goes to sign-in instead', async () => {
		const { fetch, calls } = scripted();
		const { api, onUnauthorized } = client(fetch, { getToken: async () => null });

		await expect(api.tenant.get()).rejects.toMatchObject({ status: 401, code: 'NOT_SIGNED_IN' });
		expect(calls).toHaveLength(0);
		expect(onUnauthorized).toHaveBeenCalledTimes(1);
	});

	it("retries a read that API Gateway throttled, then reports the gateway's 429", async () => {
		const throttled = () => json(429, { message: 'Too Many Requests' }, { 'x-request-id': 'gw-429' });
		const { fetch, calls } = scripted(throttled(), throttled(), throttled());
		const { api } = client(fetch);

		const error = await api.professionals.list().catch((e: unknown) => e);

		expect(calls).toHaveLength(3);
		expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', requestId: 'gw-429' });
	});

	it('says NETWORK when there is no answer at all', async () => {
		const { fetch } = scripted(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), new TypeError('Failed to fetch'));
		const { api } = client(fetch);

		await expect(api.treatments.list()).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
	});

	it('maps a body that is not JSON (a proxy error page) to a server error with the request id', async () => {
		const page = () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'gw-502' } });
		const { fetch } = scripted(page(), page(), page());
		const { api } = client(fetch);

		await expect(api.tenant.get()).rejects.toMatchObject({ status: 502, code: 'SERVER_ERROR', requestId: 'gw-502' });
	});

	it('does not retry a reschedule or a cancel (not idempotent): the first failure is the answer', async () => {
		const { fetch, calls } = scripted(json(503, { message: 'Service Unavailable' }), json(503, { message: 'x' }));
		const { api } = client(fetch);

		await expect(api.bookings.cancel('b1')).rejects.toMatchObject({ status: 503 });
		expect(calls).toHaveLength(1);
	});

	it('answers a 204 with undefined', async () => {
		const { fetch } = scripted(new Response(null, { status: 204 }));
		const { api } = client(fetch);

		await expect(api.treatments.remove('t1')).resolves.toBeUndefined();
	});
});

describe('booking with an Idempotency-Key', () => {
	const body = { professionalId: 'p1', treatmentId: 't1', start: '2026-03-02T09:00:00-05:00' };
	const booking = { id: 'b1', ...body };

	it('sends the key and reuses it when the client retries after no answer', async () => {
		const { fetch, calls } = scripted(new TypeError('Failed to fetch'), json(503, { message: 'x' }), json(201, booking));
		const { api } = client(fetch);
		const attempt = new BookingAttempt();

		await expect(api.bookings.create(body, attempt.keyFor(body))).resolves.toMatchObject({ id: 'b1' });

		const keys = calls.map((call) => header(call, 'Idempotency-Key'));
		expect(keys).toHaveLength(3);
		expect(keys[0]).toMatch(/^[A-Za-z0-9_.:-]{1,128}$/);
		expect(new Set(keys).size).toBe(1);
	});

	it('reuses the key when the user presses confirm again with the same choice', async () => {
		const { fetch, calls } = scripted(
			json(500, { error: { code: 'INTERNAL', message: 'boom', requestId: 'r1' } }),
			json(201, booking)
		);
		const { api } = client(fetch, { retryDelaysMs: [] });
		const attempt = new BookingAttempt();

		await expect(api.bookings.create(body, attempt.keyFor(body))).rejects.toMatchObject({ code: 'INTERNAL' });
		await api.bookings.create({ ...body }, attempt.keyFor({ start: body.start, treatmentId: 't1', professionalId: 'p1' }));

		expect(header(calls[0], 'Idempotency-Key')).toBe(header(calls[1], 'Idempotency-Key'));
	});

	it('uses a new key for another slot (the API refuses a key reused with another body)', () => {
		const attempt = new BookingAttempt();
		const first = attempt.keyFor(body);

		expect(attempt.keyFor({ ...body, start: '2026-03-02T09:30:00-05:00' })).not.toBe(first);
	});

	it('uses a new key for the next booking after a success', () => {
		const attempt = new BookingAttempt();
		const first = attempt.keyFor(body);
		attempt.reset();

		expect(attempt.keyFor(body)).not.toBe(first);
	});
});
