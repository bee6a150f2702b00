import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url, depends }) => {
	depends('app:users');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'manageUsers'));
	const roleFilter = url.searchParams.get('role') ?? '';
	const role = (['Owner', 'Admin', 'Dentist', 'Reception', 'Patient'] as const).find((item) => item === roleFilter);
	return { ...data, roleFilter: role ?? '', users: deferred(data.services.api.users.listAll(role)) };
};
