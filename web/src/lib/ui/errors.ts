/** One wording for every failure the UI shows: a known code in words, else the API's message. */
import { asApiError } from '$lib/api/errors';
import { t } from '$lib/i18n/index.svelte';

export interface ShownError {
	message: string;
	requestId: string | null;
	code: string;
}

export function describeError(error: unknown, context: { changeWindowHours?: number } = {}): ShownError {
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
