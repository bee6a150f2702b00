import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import { apiQuery, searchFromUrl } from './search';
import type { PageLoad } from './$types';

/** One page of the tenant's users: all, of a role, or found by the start of a name, email or phone. */
export const load: PageLoad = async ({ parent, url, depends }) => {
	depends('app:users');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'manageUsers'));
	const search = searchFromUrl(url.searchParams);
	return { ...data, search, page: deferred(data.services.api.users.search(apiQuery(search))) };
};
