import { describe, expect, it } from 'vitest';
import { client, json, scripted } from './scripted-fetch';

const user = { id: 'u1', tenantId: 't1', email: 'ana@example.com', role: 'Patient', status: 'active' };
const sent = (calls: { url: string; init: RequestInit }[], index = 0) => {
	const call = calls[index];
	return { method: call?.init.method, url: call?.url, body: call?.init.body ? JSON.parse(String(call.init.body)) : undefined };
};

describe("the clinic's operations through the API client", () => {
	it('finds users by a prefix, one page at a time', async () => {
		const { fetch, calls } = scripted(json(200, { items: [user], nextCursor: 'c2' }));
		const { api } = client(fetch);
		const page = await api.users.search({ q: 'an', by: 'name', limit: 25, cursor: 'c1' });
		expect(page.nextCursor).toBe('c2');
		expect(sent(calls).url).toBe('https://clinic.example/api/users?q=an&by=name&limit=25&cursor=c1');
	});

	it('changes, disables and enables one user on its own path', async () => {
		const { fetch, calls } = scripted(json(200, user), json(200, { ...user, status: 'disabled' }), json(200, user));
		const { api } = client(fetch);
		await api.users.update('u 1', { phone: null, role: 'Reception' });
		await expect(api.users.disable('u 1')).resolves.toMatchObject({ status: 'disabled' });
		await api.users.enable('u 1');
		expect(calls.map((_, index) => [sent(calls, index).method, sent(calls, index).url])).toEqual([
			['PATCH', 'https://clinic.example/api/users/u%201'],
			['POST', 'https://clinic.example/api/users/u%201/disable'],
			['POST', 'https://clinic.example/api/users/u%201/enable']
		]);
		expect(sent(calls).body).toEqual({ phone: null, role: 'Reception' });
	});

	it("does not retry a disable the API refused: the last Owner's refusal is the answer, with its request id", async () => {
		const refusal = { error: { code: 'LAST_OWNER', message: 'the tenant must keep an active Owner', requestId: 'req-1' } };
		const { fetch, calls } = scripted(json(409, refusal), json(200, user));
		const { api } = client(fetch);
		await expect(api.users.disable('owner-1')).rejects.toMatchObject({ status: 409, code: 'LAST_OWNER', requestId: 'req-1' });
		expect(calls).toHaveLength(1);
	});

	it("reads and changes the caller's own profile at /me", async () => {
		const { fetch, calls } = scripted(json(200, user), json(200, { ...user, name: 'Ana' }));
		const { api } = client(fetch);
		await api.me.get();
		await api.me.update({ name: 'Ana' });
		expect([sent(calls, 0).method, sent(calls, 0).url]).toEqual(['GET', 'https://clinic.example/api/me']);
		expect(sent(calls, 1)).toEqual({ method: 'PATCH', url: 'https://clinic.example/api/me', body: { name: 'Ana' } });
	});

	it("lists, creates and deletes closures, and replaces a professional's time off", async () => {
		const closure = { id: 'c1', start: '2026-12-25T05:00:00Z', end: '2026-12-26T05:00:00Z', reason: 'Navidad' };
		const { fetch, calls } = scripted(
			json(200, { items: [closure], nextCursor: null }),
			json(201, closure),
			new Response(null, { status: 204 }),
			json(200, { id: 'p1', name: 'Dra. Ruiz' })
		);
		const { api } = client(fetch);
		await expect(api.closures.list()).resolves.toEqual([closure]);
		await api.closures.create({ start: closure.start, end: closure.end, reason: 'Navidad' });
		await expect(api.closures.remove('c1')).resolves.toBeUndefined();
		await api.professionals.setTimeOff('p1', { timeOff: [{ start: closure.start, end: closure.end, reason: null }] });
		expect(calls.map((_, index) => `${sent(calls, index).method} ${sent(calls, index).url}`)).toEqual([
			'GET https://clinic.example/api/closures',
			'POST https://clinic.example/api/closures',
			'DELETE https://clinic.example/api/closures/c1',
			'PUT https://clinic.example/api/professionals/p1/time-off'
		]);
		expect(sent(calls, 3).body).toEqual({ timeOff: [{ start: closure.start, end: closure.end, reason: null }] });
	});
});
