import { appState } from '$lib/app';
import type { LayoutLoad } from './$types';

// A single-page app: nothing is rendered on a server or at build time.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

export const load: LayoutLoad = async ({ url, route, depends }) => {
	depends('app:session');
	return appState(url, route.id);
};
