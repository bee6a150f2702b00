import { describe, expect, it } from 'vitest';
import { fetchConfig } from '$lib/api/config';
import { ConfigProblem, cognitoEndpointFor, logoutUriFor, parseConfig, redirectUriFor } from './config';

const valid = {
	apiUrl: 'https://d111.cloudfront.net/api/',
	region: 'us-east-1',
	userPoolId: 'us-east-1_abc',
	userPoolClientId: 'client-123',
	authority: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc',
	signInDomain: 'https://auth.example.com',
	redirectUris: ['http://localhost:5173/callback', 'https://d111.cloudfront.net/callback'],
	logoutUris: ['http://localhost:5173/', 'https://d111.cloudfront.net/']
};

function answer(status: number, body: string) {
	return (async () => new Response(body, { status })) as unknown as typeof fetch;
}

describe('config.json', () => {
	it('is read as the contract says, without a trailing slash on the API URL, in Spanish by default', () => {
		const config = parseConfig(valid);
		expect(config.apiUrl).toBe('https://d111.cloudfront.net/api');
		expect(config.defaultLanguage).toBe('es');
		expect(parseConfig({ ...valid, defaultLanguage: 'en' }).defaultLanguage).toBe('en');
	});

	it("calls sign-up on the issuer's origin: the region's Cognito in AWS, the login server in the devstack", () => {
		expect(cognitoEndpointFor(parseConfig(valid))).toBe('https://cognito-idp.us-east-1.amazonaws.com/');
		const devstack = parseConfig({ ...valid, authority: 'http://127.0.0.1:8082/us-east-1_abc' });
		expect(cognitoEndpointFor(devstack)).toBe('http://127.0.0.1:8082/');
	});

	it('lists every problem at once', () => {
		const broken = { ...valid, authority: '', signInDomain: 'not a url', redirectUris: [], defaultLanguage: 'fr' };
		try {
			parseConfig(broken);
			expect.unreachable();
		} catch (problem) {
			expect(problem).toBeInstanceOf(ConfigProblem);
			expect((problem as ConfigProblem).details).toHaveLength(4);
		}
	});

	it('is "missing" when the server has none (404, or the SPA fallback answering HTML)', async () => {
		await expect(fetchConfig(answer(404, 'Not Found'))).rejects.toMatchObject({ reason: 'missing' });
		await expect(fetchConfig(answer(200, '<!doctype html><html></html>'))).rejects.toMatchObject({ reason: 'missing' });
	});

	it('is "unreadable" when it is not JSON, and "invalid" when keys are wrong', async () => {
		await expect(fetchConfig(answer(200, '{"apiUrl": '))).rejects.toMatchObject({ reason: 'unreadable' });
		await expect(fetchConfig(answer(200, '{"apiUrl": "x"}'))).rejects.toMatchObject({ reason: 'invalid' });
		await expect(fetchConfig(answer(200, JSON.stringify(valid)))).resolves.toMatchObject({ userPoolClientId: 'client-123' });
	});

	it('gives the redirect and logout URIs of the page’s own origin', () => {
		const config = parseConfig(valid);
		expect(redirectUriFor(config, 'https://d111.cloudfront.net')).toBe('https://d111.cloudfront.net/callback');
		expect(logoutUriFor(config, 'http://localhost:5173')).toBe('http://localhost:5173/');
		expect(() => redirectUriFor(config, 'http://127.0.0.1:5173')).toThrow(/no http:\/\/127.0.0.1:5173\/callback/);
	});
});
