/**
 * Role gating for the navigation and the buttons, read from the ID token's
 * `cognito:groups`. Convenience only: the API checks every call itself and refuses
 * what a role may not do; hiding a button here protects nothing.
 */
import type { Role } from '$lib/api/types';
import type { MessageKey } from '$lib/i18n/index.svelte';

/** Highest first: a user in several groups acts with the highest (as the API does). */
export const ROLES_BY_RANK: readonly Role[] = ['Owner', 'Admin', 'Dentist', 'Reception', 'Patient'];

export function roleFromGroups(groups: unknown): Role | null {
	const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? [groups] : [];
	return ROLES_BY_RANK.find((role) => list.includes(role)) ?? null;
}

export type Capability =
	| 'bookForSelf' // the patient's wizard
	| 'bookForPatient' // staff book on a patient's behalf
	| 'changeBooking' // reschedule or cancel
	| 'seeOwnAppointments'
	| 'seeCalendar'
	| 'markAttendance' // completed / no_show
	| 'manageCatalog' // professionals and treatments
	| 'seeSettings'
	| 'editSettings'
	| 'manageUsers'
	| 'manageClosures' // the clinic's closed days and hours
	| 'blockTime'; // a professional's time off (a dentist: their own; the API checks)

const CAPABILITIES: Record<Capability, readonly Role[]> = {
	bookForSelf: ['Patient'],
	bookForPatient: ['Owner', 'Admin', 'Reception'],
	changeBooking: ['Owner', 'Admin', 'Reception', 'Patient'],
	seeOwnAppointments: ['Patient'],
	seeCalendar: ['Owner', 'Admin', 'Dentist', 'Reception'],
	markAttendance: ['Owner', 'Admin', 'Dentist', 'Reception'],
	manageCatalog: ['Owner', 'Admin'],
	seeSettings: ['Owner', 'Admin'],
	editSettings: ['Owner'],
	manageUsers: ['Owner', 'Admin', 'Reception'],
	manageClosures: ['Owner', 'Admin'],
	blockTime: ['Owner', 'Admin', 'Dentist', 'Reception']
};

export function can(role: Role | null, capability: Capability): boolean {
	return role !== null && CAPABILITIES[capability].includes(role);
}

export function canBook(role: Role | null): boolean {
	return can(role, 'bookForSelf') || can(role, 'bookForPatient');
}

/**
 * The roles a user of `role` may grant: invite with, change a user from and to, and
 * disable or enable (Admins never touch Owners; Reception manages patients only). The
 * API's GRANTABLE_ROLES decides and does not publish its table; this is the app's one
 * copy, for the choices it offers.
 */
export function grantableRoles(role: Role | null): Role[] {
	switch (role) {
		case 'Owner':
			return ['Patient', 'Reception', 'Dentist', 'Admin', 'Owner'];
		case 'Admin':
			return ['Patient', 'Reception', 'Dentist', 'Admin'];
		case 'Reception':
			return ['Patient'];
		default:
			return [];
	}
}

/** Whether the caller may edit, disable or enable a user who has role `target`. */
export function mayManage(role: Role | null, target: Role): boolean {
	return grantableRoles(role).includes(target);
}

export interface NavItem {
	href: string;
	label: MessageKey;
}

const NAV: readonly (NavItem & { visible: (role: Role) => boolean })[] = [
	{ href: '/appointments', label: 'nav.myAppointments', visible: (role) => can(role, 'seeOwnAppointments') },
	{ href: '/calendar', label: 'nav.calendar', visible: (role) => can(role, 'seeCalendar') && role !== 'Dentist' },
	{ href: '/calendar', label: 'nav.myCalendar', visible: (role) => role === 'Dentist' },
	{ href: '/book', label: 'nav.book', visible: (role) => can(role, 'bookForSelf') },
	{ href: '/book', label: 'nav.bookForPatient', visible: (role) => can(role, 'bookForPatient') },
	{ href: '/professionals', label: 'nav.professionals', visible: (role) => can(role, 'manageCatalog') },
	{ href: '/treatments', label: 'nav.treatments', visible: (role) => can(role, 'manageCatalog') },
	{ href: '/time-off', label: 'nav.myTimeOff', visible: (role) => role === 'Dentist' },
	{ href: '/time-off', label: 'nav.timeOff', visible: (role) => role === 'Reception' },
	{ href: '/users', label: 'nav.users', visible: (role) => can(role, 'manageUsers') },
	{ href: '/closures', label: 'nav.closures', visible: (role) => can(role, 'manageClosures') },
	{ href: '/settings', label: 'nav.settings', visible: (role) => can(role, 'seeSettings') },
	{ href: '/profile', label: 'nav.profile', visible: () => true }
];

export function navFor(role: Role | null): NavItem[] {
	if (role === null) return [];
	return NAV.filter((item) => item.visible(role)).map(({ href, label }) => ({ href, label }));
}

/** Where a signed-in user starts. */
export function landingFor(role: Role | null): string {
	if (role === 'Patient') return '/appointments';
	if (role !== null) return '/calendar';
	return '/';
}
