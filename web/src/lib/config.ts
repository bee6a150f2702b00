/**
 * The app's run-time configuration: `/config.json`, written per stack by the program
 * and fetched at start-up. Nothing environment-specific is ever built into the bundle,
 * so one build serves every stack; a missing or broken file is a clear error page.
 */

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface AppConfig {
	/** Base URL of the HTTP API, without a trailing slash. */
	apiUrl: string;
	region: string;
	userPoolId: string;
	userPoolClientId: string;
	/** OIDC issuer: the library reads `<authority>/.well-known/openid-configuration`. */
	authority: string;
	/** Managed login base URL; its `/logout` is not in Cognito's discovery document. */
	signInDomain: string;
	redirectUris: string[];
	logoutUris: string[];
	defaultLanguage: Language;
}

/** Why the configuration cannot be used; shown on the error page as it is. */
export class ConfigProblem extends Error {
	constructor(
		readonly reason: 'missing' | 'unreadable' | 'invalid' | 'origin',
		readonly details: string[]
	) {
		super(`config.json: ${reason}: ${details.join('; ')}`);
		this.name = 'ConfigProblem';
	}
}

const REQUIRED_STRINGS = [
	'apiUrl',
	'region',
	'userPoolId',
	'userPoolClientId',
	'authority',
	'signInDomain'
] as const;
const REQUIRED_URL_LISTS = ['redirectUris', 'logoutUris'] as const;
const URL_KEYS = ['apiUrl', 'authority', 'signInDomain'] as const;

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

/** Validate the parsed JSON; every problem is listed at once, not just the first. */
export function parseConfig(raw: unknown): AppConfig {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		throw new ConfigProblem('invalid', ['the file is not a JSON object']);
	}
	const source = raw as Record<string, unknown>;
	const problems: string[] = [];
	for (const key of REQUIRED_STRINGS) {
		const value = source[key];
		if (typeof value !== 'string' || value.trim() === '') problems.push(`"${key}" must be a non-empty string`);
	}
	for (const key of URL_KEYS) {
		const value = source[key];
		if (typeof value === 'string' && value.trim() !== '' && !isHttpUrl(value)) {
			problems.push(`"${key}" must be an http(s) URL`);
		}
	}
	for (const key of REQUIRED_URL_LISTS) {
		const value = source[key];
		if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && isHttpUrl(item))) {
			problems.push(`"${key}" must be a non-empty list of http(s) URLs`);
		}
	}
	const language = source['defaultLanguage'] ?? 'es';
	if (typeof language !== 'string' || !(LANGUAGES as readonly string[]).includes(language)) {
		problems.push(`"defaultLanguage" must be one of ${LANGUAGES.join(', ')}`);
	}
	if (problems.length > 0) throw new ConfigProblem('invalid', problems);
	const text = (key: (typeof REQUIRED_STRINGS)[number]) => (source[key] as string).trim();
	return {
		apiUrl: text('apiUrl').replace(/\/+$/, ''),
		region: text('region'),
		userPoolId: text('userPoolId'),
		userPoolClientId: text('userPoolClientId'),
		authority: text('authority').replace(/\/+$/, ''),
		signInDomain: text('signInDomain').replace(/\/+$/, ''),
		redirectUris: source['redirectUris'] as string[],
		logoutUris: source['logoutUris'] as string[],
		defaultLanguage: language as Language
	};
}

/**
 * The user pool's public JSON API (patient sign-up): the issuer's origin. In AWS the
 * issuer is `https://cognito-idp.<region>.amazonaws.com/<poolId>`, whose origin is that
 * API; the devstack's login server serves both. The CSP already allows the origin.
 */
export function cognitoEndpointFor(config: Pick<AppConfig, 'authority'>): string {
	return `${new URL(config.authority).origin}/`;
}

/**
 * The sign-in callback registered for the page's own origin (`<origin>/callback`): the
 * same build is served from several origins (CDN, custom domain, localhost), and the
 * user pool only accepts URIs it lists.
 */
export function redirectUriFor(config: AppConfig, origin: string): string {
	const match = config.redirectUris.find((uri) => {
		const url = new URL(uri);
		return url.origin === origin && url.pathname === '/callback';
	});
	if (!match) {
		throw new ConfigProblem('origin', [
			`"redirectUris" has no ${origin}/callback (it lists ${config.redirectUris.join(', ')})`
		]);
	}
	return match;
}

/** Where the managed login sends the browser after sign-out: the entry on this origin. */
export function logoutUriFor(config: AppConfig, origin: string): string {
	const onOrigin = config.logoutUris.filter((uri) => new URL(uri).origin === origin);
	const match = onOrigin.find((uri) => new URL(uri).pathname === '/') ?? onOrigin[0];
	if (!match) {
		throw new ConfigProblem('origin', [
			`"logoutUris" has no URL on ${origin} (it lists ${config.logoutUris.join(', ')})`
		]);
	}
	return match;
}
