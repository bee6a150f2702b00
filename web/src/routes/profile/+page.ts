import { deferred, ready } from '$lib/app';
import type { PageLoad } from './$types';

/** The caller's own record: every role has one, a patient's is their profile. */
export const load: PageLoad = async ({ parent }) => {
	const data = await ready(parent);
	return { ...data, me: deferred(data.services.api.me.get()) };
};
