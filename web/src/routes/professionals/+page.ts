import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, depends }) => {
	depends('app:catalog');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'manageCatalog'));
	const { api } = data.services;
	return {
		...data,
		catalog: deferred(
			Promise.all([api.professionals.list(), api.treatments.list()]).then(([professionals, treatments]) => ({
				professionals,
				treatments
			}))
		)
	};
};
