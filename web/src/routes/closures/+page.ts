import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, depends }) => {
	depends('app:closures');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'manageClosures'));
	return { ...data, closures: deferred(data.services.api.closures.list()) };
};
