import { describe, expect, it } from 'vitest';
import type { User } from '$lib/api/types';
import { PatientFinder, SHOWN, searchText } from './patient-search';

const patient = (id: string): User => ({ id, tenantId: 't1', email: `${id}@example.com`, role: 'Patient', status: 'active' }) as User;

function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((done) => (resolve = done));
	return { promise, resolve };
}

describe("reception's patient search", () => {
	it('asks the users search API for patients starting with the text, one page of at most SHOWN', async () => {
		const asked: unknown[] = [];
		const finder = new PatientFinder(async (query) => {
			asked.push(query);
			return { items: [patient('ana')], nextCursor: 'next' };
		});
		await expect(finder.find('  Ana P ')).resolves.toEqual({ patients: [patient('ana')], more: true });
		expect(asked).toEqual([{ q: 'Ana P', role: 'Patient', limit: SHOWN }]);
	});

	it('says there is no more when the page is the last', async () => {
		const finder = new PatientFinder(async () => ({ items: [], nextCursor: null }));
		await expect(finder.find('zz')).resolves.toEqual({ patients: [], more: false });
	});

	it('sends nothing for blank text and keeps to the API’s 120 characters', async () => {
		let calls = 0;
		const finder = new PatientFinder(async () => {
			calls += 1;
			return { items: [] };
		});
		await expect(finder.find('   ')).resolves.toBeNull();
		expect(calls).toBe(0);
		expect(searchText('x'.repeat(130))).toHaveLength(120);
	});

	it('drops an older answer that arrives after a newer search started', async () => {
		const slow = deferred<{ items: User[] }>();
		const answers = [slow.promise, Promise.resolve({ items: [patient('ana-maria')] })];
		const finder = new PatientFinder(() => answers.shift()!);
		const first = finder.find('an');
		const second = finder.find('ana m');
		slow.resolve({ items: [patient('andres')] });
		await expect(first).resolves.toBeNull();
		await expect(second).resolves.toEqual({ patients: [patient('ana-maria')], more: false });
	});

	it('drops the answer of a search cancelled because the text was cleared', async () => {
		const slow = deferred<{ items: User[] }>();
		const finder = new PatientFinder(() => slow.promise);
		const pending = finder.find('an');
		finder.cancel();
		slow.resolve({ items: [patient('andres')] });
		await expect(pending).resolves.toBeNull();
	});
});
