import { describe, expect, it } from 'vitest';
import { en } from './en';
import { es } from './es';
import { interpolate } from './index.svelte';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the catalogue', () => {
	it('has the same keys in Spanish and English', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
	});

	it('has no empty message', () => {
		for (const [key, text] of [...Object.entries(es), ...Object.entries(en)]) expect(text.trim(), key).not.toBe('');
	});

	it('uses the same parameters in both languages', () => {
		for (const key of Object.keys(es) as (keyof typeof es)[]) {
			expect(placeholders(en[key]), key).toEqual(placeholders(es[key]));
		}
	});

	it('fills parameters and leaves an unknown one visible', () => {
		expect(interpolate('{n} libres', { n: 3 })).toBe('3 libres');
		expect(interpolate('{n} libres', {})).toBe('{n} libres');
	});
});
