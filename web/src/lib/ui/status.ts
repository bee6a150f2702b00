import type { BookingStatus } from '$lib/api/types';
import { t, type MessageKey } from '$lib/i18n/index.svelte';

const KEYS: Record<BookingStatus, MessageKey> = {
	confirmed: 'status.confirmed',
	cancelled: 'status.cancelled',
	completed: 'status.completed',
	no_show: 'status.no_show'
};

export function statusLabel(status: BookingStatus): string {
	return t(KEYS[status]);
}
