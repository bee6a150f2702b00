import { describe, expect, it } from 'vitest';
import type { Booking, Tenant } from '$lib/api/types';
import { canChange, canMarkAttendance, changeBlocker } from './rules';

const tenant = { id: 't', name: 'Demo', timeZone: 'America/Guayaquil', locale: 'es-EC', policy: { changeWindowHours: 24 } } as Tenant;
const booking = (start: string, status: Booking['status'] = 'confirmed') => ({ id: 'b', start, status }) as Booking;
const now = new Date('2026-03-02T12:00:00Z');

describe('what a booking offers', () => {
	it('lets a patient change it until the change window closes', () => {
		expect(canChange(booking('2026-03-03T13:00:00Z'), tenant, 'Patient', now)).toBe(true); // 25 h ahead
		expect(changeBlocker(booking('2026-03-03T11:00:00Z'), tenant, 'Patient', now)).toBe('window'); // 23 h ahead
	});

	it('lets reception change it inside the window (the window is for patients)', () => {
		expect(canChange(booking('2026-03-02T13:00:00Z'), tenant, 'Reception', now)).toBe(true);
	});

	it('offers no change of a cancelled or started booking, nor to a dentist', () => {
		expect(changeBlocker(booking('2026-03-05T13:00:00Z', 'cancelled'), tenant, 'Patient', now)).toBe('notLive');
		expect(changeBlocker(booking('2026-03-02T11:00:00Z'), tenant, 'Admin', now)).toBe('started');
		expect(changeBlocker(booking('2026-03-05T13:00:00Z'), tenant, 'Dentist', now)).toBe('role');
	});

	it('offers staff the attendance buttons once the booking has begun', () => {
		expect(canMarkAttendance(booking('2026-03-02T11:00:00Z'), 'Dentist', now)).toBe(true);
		expect(canMarkAttendance(booking('2026-03-02T13:00:00Z'), 'Reception', now)).toBe(false);
		expect(canMarkAttendance(booking('2026-03-02T11:00:00Z'), 'Patient', now)).toBe(false);
		expect(canMarkAttendance(booking('2026-03-02T11:00:00Z', 'completed'), 'Admin', now)).toBe(false);
	});
});
