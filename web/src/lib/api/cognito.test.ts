import { describe, expect, it } from 'vitest';
import { createSignUpClient } from './cognito';
import { ApiError } from './errors';
import { scripted } from './scripted-fetch';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/x-amz-json-1.1', ...headers }
	});
}

function client(...answers: (Response | Error)[]) {
	const { fetch, calls } = scripted(...answers);
	const signUp = createSignUpClient({
		endpoint: 'http://127.0.0.1:9229/',
		clientId: 'client-123',
		fetch
	});
	const sent = (index = 0) => {
		const call = calls[index];
		if (!call) throw new Error(`no call ${index}`);
		const headers = call.init.headers as Record<string, string>;
		return { url: call.url, target: headers['x-amz-target'], type: headers['content-type'], body: JSON.parse(String(call.init.body)) };
	};
	return { signUp, calls, sent };
}

describe("the patient's sign-up against the user pool", () => {
	it('signs up with the email as the user name and the clinic in ClientMetadata, nothing else', async () => {
		const { signUp, sent } = client(
			answer(200, { UserConfirmed: false, UserSub: 'u1', CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL' } })
		);
		const result = await signUp.signUp({ webAddress: ' Demo-Clinic ', email: ' Ana@Example.com ', password: 'Secret-pass-123' });
		expect(result).toEqual({ confirmed: false, destination: 'a***@e***' });
		const request = sent();
		expect(request.url).toBe('http://127.0.0.1:9229/');
		expect(request.target).toBe('AWSCognitoIdentityProviderService.SignUp');
		expect(request.type).toBe('application/x-amz-json-1.1');
		expect(request.body).toEqual({
			ClientId: 'client-123',
			Username: 'ana@example.com',
			Password: 'Secret-pass-123',
			UserAttributes: [{ Name: 'email', Value: 'ana@example.com' }],
			ClientMetadata: { webAddress: 'demo-clinic' }
		});
	});

	it('confirms with the emailed code and the same clinic', async () => {
		const { signUp, sent } = client(answer(200, {}));
		await signUp.confirm({ webAddress: 'demo-clinic', email: 'ana@example.com', code: ' 123456 ' });
		expect(sent().target).toBe('AWSCognitoIdentityProviderService.ConfirmSignUp');
		expect(sent().body).toEqual({
			ClientId: 'client-123',
			Username: 'ana@example.com',
			ConfirmationCode: '123456',
			ClientMetadata: { webAddress: 'demo-clinic' }
		});
	});

	it('sends the code again when asked', async () => {
		const { signUp, sent } = client(answer(200, { CodeDeliveryDetails: { Destination: 'a***@e***' } }));
		await expect(signUp.resendCode({ webAddress: 'demo-clinic', email: 'ana@example.com' })).resolves.toEqual({
			destination: 'a***@e***'
		});
		expect(sent().target).toBe('AWSCognitoIdentityProviderService.ResendConfirmationCode');
	});

	it("reports the clinic's refusal (the pre-sign-up trigger) by the trigger's code, with Cognito's message and request id", async () => {
		const refused = (message: string) =>
			answer(400, { __type: 'UserLambdaValidationException', message }, { 'x-amzn-requestid': 'req-42' });
		const { signUp } = client(
			refused('PreSignUp failed with error SIGN_UP_CLOSED: Clínica Sonrisa does not accept sign-ups.'),
			refused('PreSignUp failed with error something unexpected.')
		);
		const request = { webAddress: 'sonrisa', email: 'a@b.co', password: 'x' };
		const failure = await signUp.signUp(request).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(ApiError);
		expect(failure).toMatchObject({
			status: 400,
			code: 'SIGN_UP_CLOSED',
			message: 'PreSignUp failed with error SIGN_UP_CLOSED: Clínica Sonrisa does not accept sign-ups.',
			requestId: 'req-42'
		});
		await expect(signUp.signUp(request)).rejects.toMatchObject({ code: 'UserLambdaValidationException' });
	});

	it('reads the error type from a qualified __type or from the header', async () => {
		const { signUp } = client(
			answer(400, { __type: 'com.amazonaws.cognito#CodeMismatchException', message: 'Invalid code' }),
			answer(400, { message: 'Attempt limit exceeded' }, { 'x-amzn-errortype': 'LimitExceededException:http://internal' })
		);
		const request = { webAddress: 'demo-clinic', email: 'a@b.co', code: '1' };
		await expect(signUp.confirm(request)).rejects.toMatchObject({ code: 'CodeMismatchException' });
		await expect(signUp.confirm(request)).rejects.toMatchObject({ code: 'LimitExceededException' });
	});

	it('says NETWORK when there is no answer, and SERVER_ERROR for a page that is not JSON', async () => {
		const { signUp } = client(new TypeError('Failed to fetch'), answer(502, '<html>bad gateway</html>'));
		const request = { webAddress: 'demo-clinic', email: 'a@b.co', password: 'x' };
		await expect(signUp.signUp(request)).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
		await expect(signUp.signUp(request)).rejects.toMatchObject({ status: 502, code: 'SERVER_ERROR' });
	});
});
