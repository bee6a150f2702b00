import { allow, deferred, ready } from '$lib/app';
import { can, canBook } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const data = await ready(parent);
	const { api } = data.services;
	allow(data, canBook(data.session.role));
	const forPatient = can(data.session.role, 'bookForPatient');
	return {
		...data,
		catalog: deferred(
			// Reception finds the patient by a search in the wizard, never by loading them all.
			Promise.all([api.treatments.list(), api.professionals.list()]).then(([treatments, professionals]) => ({
				treatments,
				professionals,
				forPatient
			}))
		)
	};
};
