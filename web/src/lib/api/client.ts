import { ApiError, errorFromResponse } from './errors';

export type QueryValue = string | number | boolean | null | undefined;

export interface HttpClientOptions {
	/** The API's base URL (config.json's apiUrl), no trailing slash. */
	baseUrl: string;
	/** The current ID token, or null when nobody is signed in. */
	getToken: () => Promise<string | null>;
	/** Called on a 401 (or no token): sign in again and come back to this page. */
	onUnauthorized: () => void;
	fetch?: typeof fetch;
	sleep?: (ms: number) => Promise<void>;
	/** Waits before each retry of a retryable request; its length is the number of retries. */
	retryDelaysMs?: readonly number[];
}

export interface RequestOptions {
	query?: Record<string, QueryValue>;
	body?: unknown;
	headers?: Record<string, string>;
	/**
	 * Retry on no answer, 502/503/504 and 429. Only for requests that are safe to repeat:
	 * reads, and a create that carries an Idempotency-Key (the same key every time).
	 */
	retry?: boolean;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * The only place in the app that calls `fetch` for the API. It adds the ID token, maps
 * every failure to an ApiError, retries what is safe to retry, and turns a 401 into a
 * new sign-in.
 */
export class HttpClient {
	private readonly fetchFn: typeof fetch;
	private readonly sleep: (ms: number) => Promise<void>;
	private readonly retryDelaysMs: readonly number[];

	constructor(private readonly options: HttpClientOptions) {
		this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
		this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
		this.retryDelaysMs = options.retryDelaysMs ?? [400, 1200];
	}

	url(path: string, query?: Record<string, QueryValue>): string {
		const search = new URLSearchParams();
		for (const [key, value] of Object.entries(query ?? {})) {
			if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
		}
		const encoded = search.toString();
		const suffix = encoded ? `?${encoded}` : '';
		return `${this.options.baseUrl}${path}${suffix}`;
	}

	async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
		const token = await this.options.getToken();
		if (!token) {
			this.options.onUnauthorized();
			throw new ApiError(401, 'NOT_SIGNED_IN', 'Not signed in', null);
		}
		const headers: Record<string, string> = {
			accept: 'application/json',
			authorization: `Bearer ${token}`,
			...options.headers
		};
		const init: RequestInit = { method, headers };
		if (options.body !== undefined) {
			headers['content-type'] = 'application/json';
			init.body = JSON.stringify(options.body);
		}
		const url = this.url(path, options.query);
		const retries = options.retry ? this.retryDelaysMs : [];
		for (let attempt = 0; ; attempt++) {
			let failure: ApiError;
			try {
				const response = await this.fetchFn(url, init);
				if (response.ok) {
					const text = await response.text();
					return (text ? JSON.parse(text) : undefined) as T;
				}
				failure = errorFromResponse(response.status, await response.text(), response.headers.get('x-request-id'));
			} catch (error) {
				if (error instanceof ApiError) throw error;
				if (error instanceof SyntaxError) {
					throw new ApiError(200, 'UNEXPECTED_RESPONSE', 'The API answered with something that is not JSON', null);
				}
				// fetch rejects (TypeError) when there is no answer: offline, DNS, CORS refused.
				failure = new ApiError(0, 'NETWORK', error instanceof Error ? error.message : String(error), null);
			}
			if (failure.status === 401) {
				this.options.onUnauthorized();
				throw failure;
			}
			const delay = retries[attempt];
			if (delay === undefined || !(failure.isNetwork || RETRYABLE_STATUS.has(failure.status))) throw failure;
			await this.sleep(delay);
		}
	}
}
