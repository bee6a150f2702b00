import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import type { PageLoad } from './$types';

/**
 * A professional's blocked time (`?professional=<id>`): a dentist's own (the
 * professionals linked to their user; the API refuses anyone else's), any for reception.
 */
export const load: PageLoad = async ({ parent, url, depends }) => {
	depends('app:catalog');
	const data = await ready(parent);
	allow(data, can(data.session.role, 'blockTime'));
	const requested = url.searchParams.get('professional') ?? '';
	const choices = data.services.api.professionals.list().then((professionals) => {
		const mine = data.session.role === 'Dentist';
		const offered = mine ? professionals.filter((item) => item.userId === data.session.sub) : professionals;
		const chosen = offered.find((item) => item.id === requested) ?? offered[0] ?? null;
		return { offered, chosen, mine };
	});
	return { ...data, choices: deferred(choices) };
};
