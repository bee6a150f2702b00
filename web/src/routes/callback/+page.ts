import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/**
 * The managed login sends the browser here with `?code=…&state=…`: oidc-client-ts
 * checks the state and exchanges the code with the PKCE verifier, and the state says
 * which page the user wanted.
 */
export const load: PageLoad = async ({ parent, url }) => {
	const data = await parent();
	if (data.state !== 'signed-out') return { problem: null };
	let returnTo: string;
	try {
		returnTo = await data.services.auth.completeSignIn(url.href);
	} catch (problem) {
		return { problem: problem instanceof Error ? problem.message : String(problem) };
	}
	redirect(303, returnTo);
};
