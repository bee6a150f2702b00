import { describe, expect, it } from 'vitest';
import { apiQuery, PAGE_SIZE, searchFromUrl, searchHref } from './search';

describe("the users page's search", () => {
	it('reads the text, the field, the role and the cursor from the URL, ignoring unknown values', () => {
		const search = searchFromUrl(new URLSearchParams('q=%20ana%20&by=name&role=Patient&cursor=c2'));
		expect(search).toEqual({ q: 'ana', by: 'name', role: 'Patient', cursor: 'c2' });
		expect(searchFromUrl(new URLSearchParams('by=address&role=King'))).toEqual({ q: '', by: '', role: '', cursor: '' });
	});

	it('asks the API for one page by prefix, sending the field only with a text', () => {
		expect(apiQuery(searchFromUrl(new URLSearchParams('q=099&by=phone&cursor=c2')))).toEqual({
			limit: PAGE_SIZE,
			q: '099',
			by: 'phone',
			cursor: 'c2'
		});
		expect(apiQuery(searchFromUrl(new URLSearchParams('by=phone&role=Dentist')))).toEqual({ limit: PAGE_SIZE, role: 'Dentist' });
	});

	it('links the next page with the same search and the API cursor, and the first page without one', () => {
		const search = searchFromUrl(new URLSearchParams('q=ana&by=email&cursor=old'));
		expect(searchHref(search, 'next==')).toBe('/users?q=ana&by=email&cursor=next%3D%3D');
		expect(searchHref(search)).toBe('/users?q=ana&by=email');
		expect(searchHref(searchFromUrl(new URLSearchParams()))).toBe('/users');
	});
});
