import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

const YEAR_MS = 365 * 24 * 3600_000;

/** A patient's own bookings (the API limits the list to them): the coming ones and the last year's. */
export const load: PageLoad = async ({ parent, depends }) => {
	depends('app:bookings');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'seeOwnAppointments'));
	const { api } = data.services;
	const now = new Date();
	return {
		...data,
		now,
		lists: deferred(
			Promise.all([
				api.bookings.listAll({ from: new Date(now.getTime() - YEAR_MS).toISOString() }),
				api.treatments.list(),
				api.professionals.list()
			]).then(([bookings, treatments, professionals]) => ({ bookings, treatments, professionals }))
		)
	};
};
