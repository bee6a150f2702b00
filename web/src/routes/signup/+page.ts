import { error } from '@sveltejs/kit';
import { createSignUpClient } from '$lib/api/cognito';
import { cognitoEndpointFor } from '$lib/config';
import type { PageLoad } from './$types';

/**
 * A patient signs up without being signed in: the pool's public API, with the clinic
 * named by its web address (`?clinic=<web address>` fills it in, for a clinic's link).
 */
export const load: PageLoad = async ({ parent, url }) => {
	const data = await parent();
	if (data.state === 'config-error') error(503, { message: 'not ready', code: data.state });
	const { config } = data.services;
	return {
		...data,
		clinic: (url.searchParams.get('clinic') ?? '').trim().toLowerCase(),
		signUp: createSignUpClient({ endpoint: cognitoEndpointFor(config), clientId: config.userPoolClientId })
	};
};
