import { allow, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
	const data = await ready(parent);
	allow(data, can(data.session.role, 'seeSettings'));
	return { ...data };
};
