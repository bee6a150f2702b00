import { describe, expect, it, vi } from 'vitest';
import type { SigninRedirectArgs } from 'oidc-client-ts';
import { HttpClient } from '$lib/api/client';
import { createApi } from '$lib/api/endpoints';
import { ConfigProblem, parseConfig } from '$lib/config';
import { Auth, logoutUrl, oidcSettings, safeReturnTo, sessionOf, type SessionUser, type UserManagerLike } from './session';

const config = parseConfig({
	apiUrl: 'https://d111.cloudfront.net/api',
	region: 'us-east-1',
	userPoolId: 'us-east-1_abc',
	userPoolClientId: 'client-123',
	authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
	signInDomain: 'https://booking-dev-auth.auth.us-east-1.amazoncognito.com',
	redirectUris: ['http://localhost:5173/callback', 'https://d111.cloudfront.net/callback'],
	logoutUris: ['http://localhost:5173/', 'https://d111.cloudfront.net/'],
	defaultLanguage: 'es'
});

/** A UserManager that keeps its user in memory and records what the app asked of it. */
class FakeUserManager implements UserManagerLike {
	redirects: SigninRedirectArgs[] = [];
	removed = 0;
	silentRenewals = 0;
	constructor(
		public user: SessionUser | null = null,
		private readonly renewal: () => Promise<SessionUser | null> = async () => null,
		private readonly callbackUser: SessionUser | null = null
	) {}
	async getUser() {
		return this.user;
	}
	async signinRedirect(args?: SigninRedirectArgs) {
		this.redirects.push(args ?? {});
	}
	async signinRedirectCallback() {
		if (!this.callbackUser) throw new Error('No matching state found in storage');
		this.user = this.callbackUser;
		return this.callbackUser;
	}
	async signinSilent() {
		this.silentRenewals++;
		return this.renewal();
	}
	async removeUser() {
		this.removed++;
		this.user = null;
	}
}

const patient: SessionUser = {
	id_token: 'id-token-patient',
	refresh_token: 'refresh-1',
	expired: false,
	profile: { sub: 'u-1', email: 'patient@demo-clinic.test', 'cognito:groups': ['Patient'] }
};

describe('the OIDC settings', () => {
	it('use the redirect URI registered for the page’s own origin', () => {
		expect(oidcSettings(config, 'https://d111.cloudfront.net').redirect_uri).toBe('https://d111.cloudfront.net/callback');
		expect(oidcSettings(config, 'http://localhost:5173').redirect_uri).toBe('http://localhost:5173/callback');
	});

	it('refuse an origin the user pool does not know, with a clear problem', () => {
		expect(() => oidcSettings(config, 'https://elsewhere.example')).toThrow(ConfigProblem);
	});

	it('are the authorization code flow against the configured authority, renewed with the refresh token', () => {
		const settings = oidcSettings(config, 'http://localhost:5173');
		expect(settings).toMatchObject({
			authority: config.authority,
			client_id: 'client-123',
			response_type: 'code',
			automaticSilentRenew: true,
			monitorSession: false
		});
		expect(settings.silent_redirect_uri).toBeUndefined(); // no iframe: the refresh token renews
		expect(settings.disablePKCE).not.toBe(true);
	});
});

describe('signing out', () => {
	it("goes through the managed login's logout with the client id and this origin's logout URI", async () => {
		const manager = new FakeUserManager(patient);
		const navigate = vi.fn();
		const auth = new Auth(manager, logoutUrl(config, 'https://d111.cloudfront.net'), navigate);

		await auth.signOut();

		expect(manager.removed).toBe(1);
		const target = new URL(navigate.mock.calls[0]?.[0] as string);
		expect(target.origin + target.pathname).toBe('https://booking-dev-auth.auth.us-east-1.amazoncognito.com/logout');
		expect(target.searchParams.get('client_id')).toBe('client-123');
		expect(target.searchParams.get('logout_uri')).toBe('https://d111.cloudfront.net/');
	});
});

describe('signing in', () => {
	it('keeps the page the user wanted in the OIDC state and comes back to it', async () => {
		const manager = new FakeUserManager(null, undefined, { ...patient, state: { returnTo: '/appointments/b-42' } });
		const auth = new Auth(manager, 'x', vi.fn(), () => 'en');

		await auth.signIn('/appointments/b-42');
		expect(manager.redirects[0]).toMatchObject({ state: { returnTo: '/appointments/b-42' }, extraQueryParams: { lang: 'en' } });

		await expect(auth.completeSignIn('http://localhost:5173/callback?code=c&state=s')).resolves.toBe('/appointments/b-42');
	});

	it('redirects once when several requests fail at the same time', async () => {
		const manager = new FakeUserManager();
		const auth = new Auth(manager, 'x', vi.fn());

		await Promise.all([auth.signIn('/a'), auth.signIn('/b'), auth.signIn('/c')]);

		expect(manager.redirects).toHaveLength(1);
	});

	it('never comes back to another site (no open redirect through the state)', () => {
		expect(safeReturnTo('//evil.example/x')).toBe('/');
		expect(safeReturnTo('https://evil.example/')).toBe('/');
		expect(safeReturnTo('/\\evil.example')).toBe('/');
		expect(safeReturnTo('/callback?code=1')).toBe('/');
		expect(safeReturnTo(undefined)).toBe('/');
		expect(safeReturnTo('/calendar?date=2026-03-02')).toBe('/calendar?date=2026-03-02');
	});

	it('reports a callback that does not match a sign-in started here', async () => {
		const auth = new Auth(new FakeUserManager(), 'x', vi.fn());
		await expect(auth.completeSignIn('http://localhost:5173/callback?code=c&state=forged')).rejects.toThrow(/state/);
	});
});

describe('the token the API is called with', () => {
	it('is the ID token of the signed-in user', async () => {
		const auth = new Auth(new FakeUserManager(patient), 'x', vi.fn());
		await expect(auth.idToken()).resolves.toBe('id-token-patient');
	});

	it('is renewed with the refresh token when it has expired', async () => {
		const renewed = { ...patient, id_token: 'id-token-renewed' };
		const manager = new FakeUserManager({ ...patient, expired: true }, async () => renewed);
		const auth = new Auth(manager, 'x', vi.fn());

		await expect(auth.idToken()).resolves.toBe('id-token-renewed');
		expect(manager.silentRenewals).toBe(1);
	});

	it('is absent when the renewal fails, so the next call signs in again', async () => {
		const manager = new FakeUserManager({ ...patient, expired: true }, async () => {
			throw new Error('invalid_grant');
		});
		await expect(new Auth(manager, 'x', vi.fn()).idToken()).resolves.toBeNull();
	});
});

describe('a 401 from the API', () => {
	it('starts a new sign-in that comes back to the page the user was loading', async () => {
		const manager = new FakeUserManager(patient);
		const auth = new Auth(manager, 'x', vi.fn());
		const fetch = vi.fn(async () => new Response(JSON.stringify({ message: 'Unauthorized' }), { status: 401 }));
		const api = createApi(
			new HttpClient({
				baseUrl: 'https://api.example',
				getToken: () => auth.idToken(),
				onUnauthorized: () => void auth.signIn('/appointments/b-7?from=email'),
				fetch: fetch as unknown as typeof globalThis.fetch
			})
		);

		await expect(api.bookings.get('b-7')).rejects.toMatchObject({ status: 401 });
		await vi.waitFor(() => expect(manager.redirects).toHaveLength(1));

		expect(manager.removed).toBe(1); // the refused token is forgotten
		expect(manager.redirects[0]?.state).toEqual({ returnTo: '/appointments/b-7?from=email' });
	});
});

describe('the session', () => {
	it("reads the role from the ID token's groups", () => {
		expect(sessionOf(patient)).toEqual({ sub: 'u-1', email: 'patient@demo-clinic.test', name: null, role: 'Patient' });
	});
});
