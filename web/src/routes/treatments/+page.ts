import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, depends }) => {
	depends('app:catalog');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'manageCatalog'));
	return { ...data, treatments: deferred(data.services.api.treatments.list()) };
};
