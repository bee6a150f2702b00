import { describe, expect, it } from 'vitest';
import { can, canBook, grantableRoles, landingFor, mayManage, navFor, roleFromGroups } from './roles';

describe('the role from cognito:groups', () => {
	it('is the highest of the groups, whatever their order', () => {
		expect(roleFromGroups(['Patient', 'Admin', 'Reception'])).toBe('Admin');
		expect(roleFromGroups(['Reception', 'Dentist'])).toBe('Dentist');
		expect(roleFromGroups(['Owner', 'Patient'])).toBe('Owner');
	});

	it('ignores groups that are not roles, and is null without any', () => {
		expect(roleFromGroups(['beta-testers', 'Patient'])).toBe('Patient');
		expect(roleFromGroups(['beta-testers'])).toBeNull();
		expect(roleFromGroups(undefined)).toBeNull();
		expect(roleFromGroups('Reception')).toBe('Reception');
	});
});

describe('role gating', () => {
	const hrefs = (role: Parameters<typeof navFor>[0]) => navFor(role).map((item) => item.href);

	it('gives a patient the wizard and their appointments, nothing of the staff', () => {
		expect(hrefs('Patient')).toEqual(['/appointments', '/book', '/profile']);
	});

	it('gives a dentist only their calendar', () => {
		expect(hrefs('Dentist')).toEqual(['/calendar', '/time-off', '/profile']);
		expect(navFor('Dentist').map((item) => item.label)).toEqual(['nav.myCalendar', 'nav.myTimeOff', 'nav.profile']);
		expect(canBook('Dentist')).toBe(false);
		expect(can('Dentist', 'markAttendance')).toBe(true);
		expect(can('Dentist', 'changeBooking')).toBe(false);
	});

	it("gives reception the calendar, booking for a patient, any dentist's time off and users, not the catalogs", () => {
		expect(hrefs('Reception')).toEqual(['/calendar', '/book', '/time-off', '/users', '/profile']);
		expect(can('Reception', 'manageClosures')).toBe(false);
		expect(navFor('Reception').map((item) => item.label)).toContain('nav.bookForPatient');
	});

	it('gives admins and owners the catalogs and the settings; only owners edit the settings', () => {
		expect(hrefs('Admin')).toEqual([
			'/calendar',
			'/book',
			'/professionals',
			'/treatments',
			'/users',
			'/closures',
			'/settings',
			'/profile'
		]);
		expect(hrefs('Owner')).toEqual(hrefs('Admin'));
		expect(can('Owner', 'editSettings')).toBe(true);
		expect(can('Admin', 'editSettings')).toBe(false);
	});

	it('lets each role grant only the roles the API allows it to', () => {
		expect(grantableRoles('Owner')).toContain('Owner');
		expect(grantableRoles('Admin')).not.toContain('Owner');
		expect(grantableRoles('Reception')).toEqual(['Patient']);
		expect(grantableRoles('Dentist')).toEqual([]);
		expect(grantableRoles('Patient')).toEqual([]);
	});

	it('lets an admin manage anyone but an owner, and reception only patients', () => {
		expect(mayManage('Owner', 'Owner')).toBe(true);
		expect(mayManage('Admin', 'Owner')).toBe(false);
		expect(mayManage('Admin', 'Dentist')).toBe(true);
		expect(mayManage('Reception', 'Patient')).toBe(true);
		expect(mayManage('Reception', 'Dentist')).toBe(false);
		expect(mayManage('Dentist', 'Patient')).toBe(false);
	});

	it('shows nothing to someone without a role', () => {
		expect(navFor(null)).toEqual([]);
		expect(can(null, 'seeCalendar')).toBe(false);
		expect(landingFor(null)).toBe('/');
	});

	it('starts a patient at their appointments and staff at the calendar', () => {
		expect(landingFor('Patient')).toBe('/appointments');
		expect(landingFor('Reception')).toBe('/calendar');
		expect(landingFor('Dentist')).toBe('/calendar');
	});
});
