/**
 * The users page's search, kept in its URL (`?q=&by=&role=&cursor=`) so that a result
 * page can be linked, reloaded and paged: one API page per screen, the next through the
 * API's cursor.
 */
import type { Query, Role, UserSearchField } from '$lib/api/types';
import { ROLES_BY_RANK } from '$lib/auth/roles';

export const SEARCH_FIELDS: readonly UserSearchField[] = ['name', 'email', 'phone'];
export const PAGE_SIZE = 25;

export interface UserSearch {
	q: string;
	by: UserSearchField | '';
	role: Role | '';
	cursor: string;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | '' {
	return allowed.find((item) => item === value) ?? '';
}

export function searchFromUrl(params: URLSearchParams): UserSearch {
	return {
		q: (params.get('q') ?? '').trim().slice(0, 120),
		by: oneOf(params.get('by'), SEARCH_FIELDS),
		role: oneOf(params.get('role'), ROLES_BY_RANK),
		cursor: params.get('cursor') ?? ''
	};
}

/** The API's query: `by` only with a text (the API refuses it alone), empty values left out. */
export function apiQuery(search: UserSearch): Query<'listUsers'> {
	return {
		limit: PAGE_SIZE,
		...(search.q ? { q: search.q } : {}),
		...(search.q && search.by ? { by: search.by } : {}),
		...(search.role ? { role: search.role } : {}),
		...(search.cursor ? { cursor: search.cursor } : {})
	};
}

/** The page's own URL for this search, at `cursor` (the first page without one). */
export function searchHref(search: UserSearch, cursor?: string | null): string {
	const params = new URLSearchParams();
	if (search.q) params.set('q', search.q);
	if (search.q && search.by) params.set('by', search.by);
	if (search.role) params.set('role', search.role);
	if (cursor) params.set('cursor', cursor);
	const encoded = params.toString();
	return encoded ? `/users?${encoded}` : '/users';
}
