/** Short-lived notices ("Appointment booked"); errors stay until dismissed. */
export interface Toast {
	id: number;
	kind: 'success' | 'error' | 'info';
	text: string;
	requestId?: string | null;
}

let nextId = 1;
export const toasts = $state<Toast[]>([]);

export function dismiss(id: number): void {
	const index = toasts.findIndex((toast) => toast.id === id);
	if (index >= 0) toasts.splice(index, 1);
}

export function notify(kind: Toast['kind'], text: string, requestId?: string | null): void {
	const toast: Toast = { id: nextId++, kind, text, requestId: requestId ?? null };
	toasts.push(toast);
	if (kind !== 'error') setTimeout(() => dismiss(toast.id), 6000);
}
