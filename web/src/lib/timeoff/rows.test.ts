import { describe, expect, it } from 'vitest';
import { fromRows, rowsValid, toRows } from './rows';

describe('time off as edited in a form', () => {
	it("reads and writes the clinic's wall-clock time, whatever the browser's zone", () => {
		const rows = toRows([{ start: '2026-03-02T14:00:00Z', end: '2026-03-02T18:00:00Z', reason: 'Congreso' }], 'America/Guayaquil');
		expect(rows).toEqual([{ start: '2026-03-02T09:00', end: '2026-03-02T13:00', reason: 'Congreso' }]);
		expect(fromRows(rows, 'America/Guayaquil')).toEqual([
			{ start: '2026-03-02T14:00:00.000Z', end: '2026-03-02T18:00:00.000Z', reason: 'Congreso' }
		]);
	});

	it('sends no reason as null, and refuses a row that does not end after it starts', () => {
		expect(fromRows([{ start: '2026-03-02T09:00', end: '2026-03-02T10:00', reason: ' ' }], 'UTC')[0]?.reason).toBeNull();
		expect(rowsValid([{ start: '2026-03-02T09:00', end: '2026-03-02T09:00', reason: '' }])).toBe(false);
		expect(rowsValid([{ start: '', end: '2026-03-02T09:00', reason: '' }])).toBe(false);
		expect(rowsValid([{ start: '2026-03-02T09:00', end: '2026-03-03T08:00', reason: '' }])).toBe(true);
	});
});
