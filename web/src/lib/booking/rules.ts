/**
 * What the screens offer for a booking. Mirrors of the API's rules, for the buttons
 * only: the API decides (and says CHANGE_WINDOW_CLOSED, INVALID_STATE, …) whatever
 * this module thinks.
 */
import type { Booking, Role, Tenant } from '$lib/api/types';
import { can } from '$lib/auth/roles';

export function isLive(booking: Booking): boolean {
	return (booking.status ?? 'confirmed') === 'confirmed';
}

/** A patient may move or cancel only until `changeWindowHours` before the start. */
export function changeWindowClosed(booking: Booking, tenant: Tenant, role: Role | null, now: Date = new Date()): boolean {
	if (role !== 'Patient') return false;
	const hours = tenant.policy?.changeWindowHours ?? 24;
	return now.getTime() >= Date.parse(booking.start) - hours * 3600_000;
}

export type ChangeBlocker = 'role' | 'notLive' | 'started' | 'window';

/** Why this user cannot move or cancel this booking now, or null if they can. */
export function changeBlocker(
	booking: Booking,
	tenant: Tenant,
	role: Role | null,
	now: Date = new Date()
): ChangeBlocker | null {
	if (!can(role, 'changeBooking')) return 'role';
	if (!isLive(booking)) return 'notLive';
	if (Date.parse(booking.start) <= now.getTime()) return 'started';
	if (changeWindowClosed(booking, tenant, role, now)) return 'window';
	return null;
}

export function canChange(booking: Booking, tenant: Tenant, role: Role | null, now: Date = new Date()): boolean {
	return changeBlocker(booking, tenant, role, now) === null;
}

/** Staff close a booking that has begun: completed or no-show. */
export function canMarkAttendance(booking: Booking, role: Role | null, now: Date = new Date()): boolean {
	return can(role, 'markAttendance') && isLive(booking) && Date.parse(booking.start) <= now.getTime();
}

/** Names for ids, with the id itself when the catalogue no longer has it. */
export function namer<T extends { id: string }>(items: readonly T[], name: (item: T) => string) {
	const byId = new Map(items.map((item) => [item.id, name(item)]));
	return (id: string) => byId.get(id) ?? id;
}
