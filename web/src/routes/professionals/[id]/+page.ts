import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, depends }) => {
	depends('app:catalog');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'manageCatalog'));
	const { api } = data.services;
	return {
		...data,
		context: deferred(
			Promise.all([api.professionals.get(params.id), api.treatments.list(), api.users.listAll('Dentist')]).then(
				([professional, treatments, dentists]) => ({ professional, treatments, dentists })
			)
		)
	};
};
