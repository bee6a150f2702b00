/** Tests' stand-in for the network: a fetch answering from a script, and the client built on it. */
import { vi } from 'vitest';
import { HttpClient, type HttpClientOptions } from './client';
import { createApi } from './endpoints';

export type Call = { url: string; init: RequestInit };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(body === undefined ? null : JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json', ...headers }
	});
}

/** A fetch that answers from a script, one answer per call, and records the calls. */
export function scripted(...answers: (Response | Error)[]) {
	const calls: Call[] = [];
	const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
		calls.push({ url: String(url), init: init ?? {} });
		const next = answers.shift();
		if (!next) throw new Error('no more scripted answers');
		if (next instanceof Error) throw next;
		return next;
	});
	return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

export function client(fetch: typeof globalThis.fetch, overrides: Partial<HttpClientOptions> = {}) {
	const onUnauthorized = vi.fn();
	const http = new HttpClient({
		baseUrl: 'https://clinic.example/api',
		getToken: async () => 'id-token-1',
		onUnauthorized,
		fetch,
		sleep: async () => undefined,
		...overrides
	});
	return { http, api: createApi(http), onUnauthorized };
}

export function header(call: Call | undefined, name: string): string | null {
	return new Headers(call?.init.headers).get(name);
}
