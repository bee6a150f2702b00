/**
 * Reception's patient search in the booking wizard: the start of a name, an email or a
 * phone, answered by the users search API (`GET /users?q=…&role=Patient`, a query on
 * the directory index: never the whole list). The API infers the field from the text
 * (an `@` is an email, digits a phone), as the Users page does.
 *
 * Typing sends a search per pause; answers can come back out of order, so only the
 * latest search's answer is shown (an older one is dropped, never shown after a newer).
 */
import type { Query, User } from '$lib/api/types';

/** The most patients one search shows; more means "keep typing". */
export const SHOWN = 20;
/** The pause after the last keystroke before a search is sent, in ms. */
export const PAUSE_MS = 250;

export interface Found {
	patients: User[];
	/** More patients start like this than are shown. */
	more: boolean;
}

type Search = (query: Query<'listUsers'>) => Promise<{ items: User[]; nextCursor?: string | null }>;

/** The text worth sending (trimmed, at most the API's 120 characters), or null. */
export function searchText(typed: string): string | null {
	const text = typed.trim().slice(0, 120);
	return text === '' ? null : text;
}

export class PatientFinder {
	#latest = 0;

	constructor(private readonly search: Search) {}

	/** The patients whose name, email or phone starts with `typed`; null when a later
	 * search has started since (its answer is the one to show) or there is nothing to send. */
	async find(typed: string): Promise<Found | null> {
		const ticket = ++this.#latest;
		const q = searchText(typed);
		if (q === null) return null;
		const page = await this.search({ q, role: 'Patient', limit: SHOWN });
		if (ticket !== this.#latest) return null;
		return { patients: page.items, more: Boolean(page.nextCursor) };
	}

	/** Forget any search in flight (the text was cleared). */
	cancel(): void {
		this.#latest += 1;
	}
}
