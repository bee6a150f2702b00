import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, depends }) => {
	depends('app:users');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'manageUsers'));
	return { ...data, user: deferred(data.services.api.users.get(params.id)) };
};
