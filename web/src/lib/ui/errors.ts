/** One wording for every failure the UI shows: a known code in words, else the API's message. */
import { asApiError } from '$lib/api/errors';
import { t } from '$lib/i18n/index.svelte';

export interface ShownError {
	message: string;
	requestId: string | null;
	code: string;
}

export interface ErrorContext {
	changeWindowHours?: number;
	/** The clinic's web address a sign-up named, for the clinic's refusal. */
	clinic?: string;
}

export function describeError(error: unknown, context: ErrorContext = {}): ShownError {
	const problem = asApiError(error);
	const shown = (message: string) => ({ message, requestId: problem.requestId, code: problem.code });
	switch (problem.code) {
		case 'NETWORK':
			return shown(t('error.network'));
		case 'TOO_MANY_REQUESTS':
			return shown(t('error.tooManyRequests'));
		case 'UNAUTHORIZED':
		case 'NOT_SIGNED_IN':
			return shown(t('error.sessionEnded'));
		case 'SLOT_TAKEN':
			return shown(t('error.slotTaken'));
		case 'CHANGE_WINDOW_CLOSED':
			return shown(
				context.changeWindowHours !== undefined
					? t('error.changeWindowClosedHours', { hours: context.changeWindowHours })
					: t('error.changeWindowClosed')
			);
		case 'CLINIC_CLOSED':
			return shown(t('error.clinicClosed'));
		case 'USER_DISABLED':
			return shown(t('error.userDisabled'));
		case 'TENANT_DISABLED':
			return shown(t('error.tenantDisabled'));
		// Cognito's answers to a sign-up (lib/api/cognito.ts)
		case 'CLINIC_NOT_FOUND': // the sign-up triggers' codes (lib/api/cognito.ts reads them)
		case 'CLINIC_REQUIRED':
			return shown(t('signup.noClinic', { clinic: context.clinic ?? '' }));
		case 'SIGN_UP_CLOSED':
			return shown(t('signup.closed', { clinic: context.clinic ?? '' }));
		case 'UserLambdaValidationException': // a trigger refused, without a code we know
			return shown(t('signup.refused', { clinic: context.clinic ?? '', reason: problem.message }));
		case 'UsernameExistsException':
			return shown(t('signup.exists'));
		case 'CodeMismatchException':
			return shown(t('signup.badCode'));
		case 'ExpiredCodeException':
			return shown(t('signup.expiredCode'));
		case 'InvalidPasswordException':
			return shown(t('signup.weakPassword', { reason: problem.message }));
		case 'LimitExceededException':
		case 'TooManyRequestsException':
			return shown(t('error.tooManyRequests'));
		case 'SERVER_ERROR':
		case 'INTERNAL':
			return shown(t('error.server'));
		case 'UNEXPECTED_RESPONSE':
			return shown(t('error.unexpected'));
		default:
			if (problem.status === 403) return shown(`${t('error.forbidden')} (${problem.message})`);
			return shown(problem.message);
	}
}
