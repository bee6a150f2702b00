import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params }) => {
	const data = await ready(parent);
	allow(data, can(data.session.role, 'changeBooking'));
	const { api } = data.services;
	return {
		...data,
		context: deferred(
			Promise.all([api.bookings.get(params.id), api.treatments.list(), api.professionals.list()]).then(
				([booking, treatments, professionals]) => ({ booking, treatments, professionals })
			)
		)
	};
};
