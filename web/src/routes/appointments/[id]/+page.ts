import { deferred, ready } from '$lib/app';
import type { PageLoad } from './$types';

/** One booking, as the emails link to it: the API shows it only to whoever may see it. */
export const load: PageLoad = async ({ parent, params, depends }) => {
	depends('app:bookings');
	const data = await ready(parent);
	const { api } = data.services;
	return {
		...data,
		detail: deferred(
			Promise.all([api.bookings.get(params.id), api.treatments.list(), api.professionals.list()]).then(
				([booking, treatments, professionals]) => ({ booking, treatments, professionals })
			)
		)
	};
};
