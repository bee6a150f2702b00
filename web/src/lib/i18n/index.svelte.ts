/**
 * The one typed catalogue every visible string goes through. Spanish is the default
 * (config.json's defaultLanguage), English the other; the user's choice is remembered
 * in localStorage. `t()` reads reactive state, so a switch re-renders every string.
 */
import { LANGUAGES, type Language } from '$lib/config';
import { en } from './en';
import { es, type MessageKey } from './es';

export type { MessageKey };
export type Params = Record<string, string | number>;

const catalogues: Record<Language, Record<MessageKey, string>> = { es, en };
export const STORAGE_KEY = 'booking.language';

let current = $state<Language>('es');

/** Fill `{name}` placeholders; a missing parameter stays visible rather than vanishing. */
export function interpolate(template: string, params?: Params): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole
	);
}

export function translate(language: Language, key: MessageKey, params?: Params): string {
	return interpolate(catalogues[language][key], params);
}

export function t(key: MessageKey, params?: Params): string {
	return translate(current, key, params);
}

export function language(): Language {
	return current;
}

/** The locale for Intl: the clinic's own variant when it speaks this language (es-EC). */
export function locale(tenantLocale?: string | null): string {
	if (tenantLocale && tenantLocale.split('-')[0] === current) return tenantLocale;
	return current === 'es' ? 'es' : 'en';
}

function stored(): Language | null {
	try {
		const value = globalThis.localStorage?.getItem(STORAGE_KEY);
		return value && (LANGUAGES as readonly string[]).includes(value) ? (value as Language) : null;
	} catch {
		return null; // storage refused (private mode, policy): the default applies
	}
}

function apply(next: Language): void {
	current = next;
	if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** At start-up: the remembered choice, else the stack's default. */
export function initLanguage(defaultLanguage: Language): void {
	apply(stored() ?? defaultLanguage);
}

export function setLanguage(next: Language): void {
	apply(next);
	try {
		globalThis.localStorage?.setItem(STORAGE_KEY, next);
	} catch {
		// not remembered, still switched
	}
}
