import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/errors';
import { setLanguage } from '$lib/i18n/index.svelte';
import { describeError } from './errors';

describe('an error as the screens show it', () => {
	it("keeps the API's own message and request id for a refusal it explains (the last Owner)", () => {
		setLanguage('en');
		const shown = describeError(new ApiError(409, 'LAST_OWNER', 'the tenant must keep an active Owner', 'req-7'));
		expect(shown).toEqual({ message: 'the tenant must keep an active Owner', requestId: 'req-7', code: 'LAST_OWNER' });
	});

	it("says plainly that the clinic refused a sign-up, with the clinic and the server's reason", () => {
		setLanguage('es');
		const closed = new ApiError(400, 'SIGN_UP_CLOSED', 'PreSignUp failed with error SIGN_UP_CLOSED: …', 'req-8');
		expect(describeError(closed, { clinic: 'sonrisa' }).message).toBe(
			'La clínica «sonrisa» no admite registros en línea. Pide a la clínica que te invite.'
		);
		const unknown = new ApiError(400, 'CLINIC_NOT_FOUND', 'PreSignUp failed with error CLINIC_NOT_FOUND: …', 'req-8');
		expect(describeError(unknown, { clinic: 'sonrisa' }).message).toContain('«sonrisa»');
		const refusal = new ApiError(400, 'UserLambdaValidationException', 'PreSignUp failed with error sign-up is off.', 'req-9');
		const shown = describeError(refusal, { clinic: 'demo-clinic' });
		expect(shown.message).toContain('«demo-clinic»');
		expect(shown.message).toContain('PreSignUp failed with error sign-up is off.');
		expect(shown.requestId).toBe('req-9');
	});

	it('explains a disabled user or clinic in words', () => {
		setLanguage('en');
		expect(describeError(new ApiError(403, 'USER_DISABLED', 'user disabled', 'r')).message).toMatch(/Your user is disabled/);
		expect(describeError(new ApiError(403, 'TENANT_DISABLED', 'tenant disabled', 'r')).message).toMatch(/clinic is disabled/);
	});
});
