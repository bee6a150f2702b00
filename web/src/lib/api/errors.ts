import type { components } from './schema';

type ErrorDetail = components['schemas']['ErrorDetail'];

/**
 * What went wrong, in one shape whoever answered: the API's envelope
 * (`{"error": {code, message, requestId}}`), API Gateway's own `{"message"}` (its JWT
 * authorizer's 401 and its throttle's 429), an unreadable body, or no answer at all.
 */
export class ApiError extends Error {
	constructor(
		/** HTTP status; 0 when the request never got an answer. */
		readonly status: number,
		/** The API's stable code, or one of ours: UNAUTHORIZED, TOO_MANY_REQUESTS, NETWORK, UNEXPECTED_RESPONSE. */
		readonly code: string,
		message: string,
		/** The API Gateway request id (body or `x-request-id` header), for support. */
		readonly requestId: string | null,
		readonly details: ErrorDetail[] = []
	) {
		super(message);
		this.name = 'ApiError';
	}

	get isNetwork(): boolean {
		return this.status === 0;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function gatewayCode(status: number): string {
	if (status === 401) return 'UNAUTHORIZED';
	if (status === 403) return 'FORBIDDEN';
	if (status === 429) return 'TOO_MANY_REQUESTS';
	if (status >= 500) return 'SERVER_ERROR';
	return 'HTTP_' + status;
}

/** Map an error response (already read as text) to an ApiError. */
export function errorFromResponse(status: number, bodyText: string, headerRequestId: string | null): ApiError {
	let body: unknown = undefined;
	try {
		body = bodyText ? JSON.parse(bodyText) : undefined;
	} catch {
		body = undefined;
	}
	if (isRecord(body) && isRecord(body['error'])) {
		const envelope = body['error'];
		const code = typeof envelope['code'] === 'string' ? envelope['code'] : gatewayCode(status);
		const message = typeof envelope['message'] === 'string' ? envelope['message'] : `HTTP ${status}`;
		const requestId = typeof envelope['requestId'] === 'string' ? envelope['requestId'] : headerRequestId;
		const details = Array.isArray(envelope['details']) ? (envelope['details'] as ErrorDetail[]) : [];
		return new ApiError(status, code, message, requestId, details);
	}
	if (isRecord(body) && typeof body['message'] === 'string') {
		return new ApiError(status, gatewayCode(status), body['message'], headerRequestId);
	}
	return new ApiError(status, status >= 500 ? 'SERVER_ERROR' : 'UNEXPECTED_RESPONSE', `HTTP ${status}`, headerRequestId);
}

/** Whatever was thrown, as an ApiError (for the UI's one error display). */
export function asApiError(error: unknown): ApiError {
	if (error instanceof ApiError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new ApiError(0, 'CLIENT_ERROR', message, null);
}
