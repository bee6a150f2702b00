/**
 * The composition root: read config.json, then build the sign-in and the API client
 * from it, once per page load. Layout and page loads get everything from here.
 */
import { error } from '@sveltejs/kit';
import { UserManager } from 'oidc-client-ts';
import { ApiError, HttpClient, asApiError, createApi, fetchConfig, type Api, type Tenant } from '$lib/api';
import { Auth, logoutUrl, oidcSettings, sessionOf, type Session } from '$lib/auth/session';
import { ConfigProblem, type AppConfig } from '$lib/config';
import { initLanguage, language } from '$lib/i18n/index.svelte';

export interface Services {
	config: AppConfig;
	auth: Auth;
	api: Api;
	/** The caller's tenant (its time zone above all), read once and kept. */
	tenant(options?: { refresh?: boolean }): Promise<Tenant>;
	/** Replace the kept tenant after the settings page changed it. */
	setTenant(tenant: Tenant): void;
	/** The URL being loaded: where a 401 during a navigation should come back to. */
	noteTarget(url: URL): void;
}

export type AppState =
	| { state: 'config-error'; problem: { reason: ConfigProblem['reason']; details: string[] } }
	| { state: 'signed-out'; services: Services }
	| { state: 'signing-in'; services: Services }
	| { state: 'tenant-error'; services: Services; session: Session; problem: ApiError }
	| { state: 'ready'; services: Services; session: Session; tenant: Tenant };

export type Ready = Extract<AppState, { state: 'ready' }>;

let started: Promise<Services> | null = null;

function build(config: AppConfig): Services {
	const origin = window.location.origin;
	const manager = new UserManager(oidcSettings(config, origin));
	const auth = new Auth(manager, logoutUrl(config, origin), (url) => window.location.assign(url), language);
	let target: URL | null = null;
	const here = () => {
		const url = target ?? new URL(window.location.href);
		return url.pathname + url.search + url.hash;
	};
	const http = new HttpClient({
		baseUrl: config.apiUrl,
		getToken: () => auth.idToken(),
		onUnauthorized: () => void auth.signIn(here())
	});
	const api = createApi(http);
	let tenant: Promise<Tenant> | null = null;
	return {
		config,
		auth,
		api,
		tenant(options = {}) {
			if (!tenant || options.refresh) {
				const loading = api.tenant.get();
				tenant = loading;
				loading.catch(() => {
					if (tenant === loading) tenant = null; // try again next time
				});
			}
			return tenant;
		},
		setTenant(value) {
			tenant = Promise.resolve(value);
		},
		noteTarget(url) {
			target = url;
		}
	};
}

/** Start once: config.json, the UserManager, the API client. Rejects with ConfigProblem. */
export function startApp(): Promise<Services> {
	if (!started) {
		initLanguage('es'); // the remembered choice, or Spanish until the config says otherwise
		started = fetchConfig().then((config) => {
			initLanguage(config.defaultLanguage);
			return build(config);
		});
		started.catch(() => {
			started = null; // a reload of the route tries again
		});
	}
	return started;
}

/** Routes anyone may open without signing in. */
const PUBLIC_ROUTES = new Set(['/', '/callback', '/signup']);

export async function appState(url: URL, routeId: string | null): Promise<AppState> {
	let services: Services;
	try {
		services = await startApp();
	} catch (problem) {
		if (problem instanceof ConfigProblem) {
			return { state: 'config-error', problem: { reason: problem.reason, details: problem.details } };
		}
		return { state: 'config-error', problem: { reason: 'unreadable', details: [String(problem)] } };
	}
	services.noteTarget(url);
	if (routeId === '/callback') return { state: 'signed-out', services }; // the page completes it
	const user = await services.auth.user();
	if (!user) {
		if (routeId === null || PUBLIC_ROUTES.has(routeId)) return { state: 'signed-out', services };
		void services.auth.signIn(url.pathname + url.search + url.hash);
		return { state: 'signing-in', services };
	}
	const session = sessionOf(user);
	try {
		return { state: 'ready', services, session, tenant: await services.tenant() };
	} catch (failure) {
		const problem = asApiError(failure);
		if (problem.status === 401) return { state: 'signing-in', services };
		return { state: 'tenant-error', services, session, problem };
	}
}

/**
 * For page loads: the signed-in app, or an error the root layout does not show (it
 * shows the sign-in redirect, the config problem or the tenant problem instead).
 */
export async function ready(parent: () => Promise<AppState>): Promise<Ready> {
	const data = await parent();
	if (data.state !== 'ready') error(503, { message: 'not ready', code: data.state });
	return data;
}

/**
 * A promise for a page to await in its markup, with a handler attached now, so a
 * failure before the page subscribes is not reported as unhandled.
 */
export function deferred<T>(promise: Promise<T>): Promise<T> {
	promise.catch(() => undefined);
	return promise;
}

/** A page for some roles only: others get a plain "not for your role" page (the API would refuse anyway). */
export function allow(data: Ready, allowed: boolean): void {
	if (!allowed) error(403, { message: 'forbidden', code: 'PAGE_FORBIDDEN' });
}
