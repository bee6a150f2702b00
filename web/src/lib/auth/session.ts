/**
 * Sign-in with the user pool's managed login: OAuth 2.0 authorization code with PKCE,
 * through oidc-client-ts (no token code of our own). This module holds the settings,
 * the sign-in/-out steps and the "who is signed in" view the app needs; the library
 * object itself is passed in, so tests use a fake.
 */
import type { SigninRedirectArgs, UserManagerSettings } from 'oidc-client-ts';
import type { Role } from '$lib/api/types';
import { logoutUriFor, redirectUriFor, type AppConfig } from '$lib/config';
import { roleFromGroups } from './roles';

/** The part of a signed-in oidc-client-ts `User` the app reads. */
export interface SessionUser {
	id_token?: string;
	refresh_token?: string;
	expired?: boolean;
	profile: Record<string, unknown>;
	state?: unknown;
}

/** The part of oidc-client-ts's `UserManager` the app uses. */
export interface UserManagerLike {
	getUser(): Promise<SessionUser | null>;
	signinRedirect(args?: SigninRedirectArgs): Promise<void>;
	signinRedirectCallback(url?: string): Promise<SessionUser>;
	signinSilent(): Promise<SessionUser | null>;
	removeUser(): Promise<void>;
}

export interface Session {
	sub: string;
	email: string | null;
	name: string | null;
	role: Role | null;
}

export function sessionOf(user: SessionUser): Session {
	const profile = user.profile;
	const text = (key: string) => (typeof profile[key] === 'string' ? (profile[key] as string) : null);
	return {
		sub: text('sub') ?? '',
		email: text('email'),
		name: text('name'),
		role: roleFromGroups(profile['cognito:groups'])
	};
}

/**
 * The library's settings for this stack and this origin. The redirect URI is the
 * config's `redirectUris` entry on the page's own origin; renewal uses the refresh
 * token (oidc-client-ts's signinSilent does when the user has one: no iframe).
 */
export function oidcSettings(config: AppConfig, origin: string): UserManagerSettings {
	return {
		authority: config.authority,
		client_id: config.userPoolClientId,
		redirect_uri: redirectUriFor(config, origin),
		post_logout_redirect_uri: logoutUriFor(config, origin),
		response_type: 'code',
		scope: 'openid email profile',
		automaticSilentRenew: true,
		// Cognito has no check_session_iframe and its ID token already carries the claims.
		monitorSession: false,
		loadUserInfo: false
	};
}

/**
 * The managed login's logout (`<signInDomain>/logout?client_id=…&logout_uri=…`). Not in
 * Cognito's discovery document, so the library cannot find it by itself.
 */
export function logoutUrl(config: AppConfig, origin: string): string {
	const params = new URLSearchParams({ client_id: config.userPoolClientId, logout_uri: logoutUriFor(config, origin) });
	return `${config.signInDomain}/logout?${params.toString()}`;
}

/** A return target from the OIDC state, only if it is a path on this site (no open redirect). */
export function safeReturnTo(value: unknown): string {
	if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
		return '/';
	}
	if (value === '/callback' || value.startsWith('/callback?') || value.startsWith('/callback#')) return '/';
	return value;
}

interface ReturnState {
	returnTo: string;
}

export class Auth {
	private redirecting = false;

	constructor(
		private readonly manager: UserManagerLike,
		private readonly logoutTarget: string,
		private readonly navigate: (url: string) => void,
		private readonly uiLanguage: () => string = () => 'es'
	) {}

	/** The signed-in user with a usable token, renewing it first if it has expired. */
	async user(): Promise<SessionUser | null> {
		const user = await this.manager.getUser();
		if (!user) return null;
		if (!user.expired && user.id_token) return user;
		if (!user.refresh_token) return null;
		try {
			// A sleeping laptop misses the renewal timer: renew on demand.
			const renewed = await this.manager.signinSilent();
			return renewed && !renewed.expired && renewed.id_token ? renewed : null;
		} catch {
			return null;
		}
	}

	/** The ID token the API is called with (it carries the tenant and the groups). */
	async idToken(): Promise<string | null> {
		return (await this.user())?.id_token ?? null;
	}

	/**
	 * Off to the managed login; the target comes back in the OIDC `state`. Several
	 * requests may fail with 401 at once: only the first one redirects.
	 */
	async signIn(returnTo: string): Promise<void> {
		if (this.redirecting) return;
		this.redirecting = true;
		try {
			await this.manager.removeUser();
			const state: ReturnState = { returnTo: safeReturnTo(returnTo) };
			await this.manager.signinRedirect({ state, extraQueryParams: { lang: this.uiLanguage() } });
		} catch (error) {
			this.redirecting = false;
			throw error;
		}
	}

	/** On /callback: exchange the code (PKCE) and say where the user wanted to go. */
	async completeSignIn(url: string): Promise<string> {
		const user = await this.manager.signinRedirectCallback(url);
		const state = user.state as Partial<ReturnState> | undefined;
		return safeReturnTo(state?.returnTo);
	}

	/** Forget the tokens here, then end the managed login's session too. */
	async signOut(): Promise<void> {
		await this.manager.removeUser();
		this.navigate(this.logoutTarget);
	}
}
