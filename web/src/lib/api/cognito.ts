/**
 * A patient's self sign-up: the user pool's public JSON API (`SignUp`, `ConfirmSignUp`,
 * `ResendConfirmationCode`), called from the browser with the app client's id, as AWS's
 * own browser SDKs do (no credentials: these operations are unauthenticated). The clinic
 * is chosen by its web address, sent as `ClientMetadata.webAddress`: the pool's
 * pre-sign-up and post-confirmation triggers read it, refuse an unknown clinic or one
 * that does not allow sign-up, and bind the tenant and the Patient role on the server —
 * nothing the browser sends can choose them. Kept in lib/api, the only place that calls
 * fetch; failures come back as the app's one ApiError.
 */
import { ApiError } from './errors';

export interface SignUpRequest {
	webAddress: string;
	email: string;
	password: string;
}

export interface ConfirmRequest {
	webAddress: string;
	email: string;
	code: string;
}

export interface CodeDelivery {
	/** Where the code went, masked by Cognito (e.g. `p***@e***`), when it says. */
	destination: string | null;
}

export interface SignUpAnswer extends CodeDelivery {
	/** True when the pool confirmed the user already (no code to enter). */
	confirmed: boolean;
}

export interface CognitoOptions {
	/** The pool's JSON API (`cognitoEndpointFor`: the issuer's origin). */
	endpoint: string;
	clientId: string;
	fetch?: typeof fetch;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{"__type": "…#UsernameExistsException", "message": "…"}` → `UsernameExistsException`. */
function errorType(body: unknown, header: string | null): string {
	const raw = isRecord(body) && typeof body['__type'] === 'string' ? body['__type'] : (header ?? '');
	const name = raw.split('#').pop()?.split(':')[0]?.trim();
	return name || 'CognitoError';
}

/**
 * A trigger's refusal arrives as `UserLambdaValidationException` with Cognito's wording
 * around the trigger's own message, which starts with its code: "PreSignUp failed with
 * error SIGN_UP_CLOSED: …". That code is the one the screens explain.
 */
const TRIGGER_CODE = /failed with error ([A-Z][A-Z0-9_]+):/;

function errorCode(type: string, message: string): string {
	if (type !== 'UserLambdaValidationException') return type;
	return TRIGGER_CODE.exec(message)?.[1] ?? type;
}

function errorMessage(body: unknown, status: number): string {
	if (isRecord(body)) {
		for (const key of ['message', 'Message']) if (typeof body[key] === 'string') return body[key] as string;
	}
	return `HTTP ${status}`;
}

export function createSignUpClient(options: CognitoOptions) {
	const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);

	async function call(operation: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
		let response: Response;
		try {
			response = await fetchFn(options.endpoint, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-amz-json-1.1',
					'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`
				},
				body: JSON.stringify({ ClientId: options.clientId, ...payload })
			});
		} catch (error) {
			throw new ApiError(0, 'NETWORK', error instanceof Error ? error.message : String(error), null);
		}
		const requestId = response.headers.get('x-amzn-requestid');
		const text = await response.text();
		let body: unknown = undefined;
		try {
			body = text ? JSON.parse(text) : {};
		} catch {
			body = undefined;
		}
		if (!response.ok) {
			const message = errorMessage(body, response.status);
			const code =
				body === undefined && response.status >= 500
					? 'SERVER_ERROR'
					: errorCode(errorType(body, response.headers.get('x-amzn-errortype')), message);
			throw new ApiError(response.status, code, message, requestId);
		}
		if (!isRecord(body)) throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', 'Cognito answered with something that is not JSON', requestId);
		return body;
	}

	const metadata = (webAddress: string) => ({ ClientMetadata: { webAddress: webAddress.trim().toLowerCase() } });
	const username = (email: string) => email.trim().toLowerCase();
	const delivery = (body: Record<string, unknown>): string | null => {
		const details = body['CodeDeliveryDetails'];
		return isRecord(details) && typeof details['Destination'] === 'string' ? details['Destination'] : null;
	};

	return {
		/** Create the account; Cognito emails a code unless the pool confirmed it already. */
		async signUp(request: SignUpRequest): Promise<SignUpAnswer> {
			const email = username(request.email);
			const body = await call('SignUp', {
				Username: email,
				Password: request.password,
				UserAttributes: [{ Name: 'email', Value: email }],
				...metadata(request.webAddress)
			});
			return { confirmed: body['UserConfirmed'] === true, destination: delivery(body) };
		},
		/** The emailed code; the post-confirmation trigger then makes the user a Patient of the clinic. */
		async confirm(request: ConfirmRequest): Promise<void> {
			await call('ConfirmSignUp', {
				Username: username(request.email),
				ConfirmationCode: request.code.trim(),
				...metadata(request.webAddress)
			});
		},
		async resendCode(request: Omit<ConfirmRequest, 'code'>): Promise<CodeDelivery> {
			const body = await call('ResendConfirmationCode', {
				Username: username(request.email),
				...metadata(request.webAddress)
			});
			return { destination: delivery(body) };
		}
	};
}

export type SignUpClient = ReturnType<typeof createSignUpClient>;
