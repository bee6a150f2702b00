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
			Promise.all([
				api.treatments.list(),
				api.professionals.list(),
				forPatient ? api.users.listAll('Patient') : Promise.resolve(null)
			]).then(([treatments, professionals, patients]) => ({ treatments, professionals, patients }))
		)
	};
};
