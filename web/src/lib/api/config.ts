import { ConfigProblem, parseConfig, type AppConfig } from '$lib/config';

/**
 * Fetch and validate `/config.json` (never cached: it changes per stack and deploy).
 * Kept in lib/api so that this module stays the only one that calls fetch.
 */
export async function fetchConfig(fetchFn: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<AppConfig> {
	let response: Response;
	try {
		response = await fetchFn('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
	} catch (error) {
		throw new ConfigProblem('unreadable', [error instanceof Error ? error.message : String(error)]);
	}
	if (response.status === 404 || response.status === 403) {
		throw new ConfigProblem('missing', [`GET /config.json answered ${response.status}`]);
	}
	if (!response.ok) throw new ConfigProblem('unreadable', [`GET /config.json answered ${response.status}`]);
	const text = await response.text();
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		// A SPA fallback answers unknown paths with index.html: that is a missing file too.
		const reason = text.trimStart().startsWith('<') ? 'missing' : 'unreadable';
		throw new ConfigProblem(reason, ['/config.json is not JSON']);
	}
	return parseConfig(raw);
}
