import { redirect } from '@sveltejs/kit';
import { landingFor } from '$lib/auth/roles';
import type { PageLoad } from './$types';

/** Home: the sign-in invitation, or straight to the user's own start page. */
export const load: PageLoad = async ({ parent }) => {
	const data = await parent();
	if (data.state === 'ready') redirect(307, landingFor(data.session.role));
	return {};
};
