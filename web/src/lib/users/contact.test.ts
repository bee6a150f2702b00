import { describe, expect, it } from 'vitest';
import { contactForm, contactPatch, contactProblem } from './contact';

describe('a name and phone edited in a form', () => {
	const before = { name: 'Ana Pérez', phone: '+593 99 123 4567' };

	it('sends only what changed, trimmed', () => {
		expect(contactPatch(before, { name: ' Ana María Pérez ', phone: '+593 99 123 4567' })).toEqual({ name: 'Ana María Pérez' });
		expect(contactPatch(before, { name: 'Ana Pérez', phone: '+593 98 000 0000 ' })).toEqual({ phone: '+593 98 000 0000' });
		expect(contactPatch(before, contactForm(before))).toEqual({});
	});

	it('removes the phone when it is emptied (null), and adds one where there was none', () => {
		expect(contactPatch(before, { name: 'Ana Pérez', phone: '  ' })).toEqual({ phone: null });
		expect(contactPatch({ name: null, phone: null }, { name: 'Luis', phone: '0991234567' })).toEqual({ name: 'Luis', phone: '0991234567' });
	});

	it('refuses to empty a name that was set', () => {
		expect(contactProblem(before, { name: ' ', phone: '' })).toBe('nameRequired');
		expect(contactProblem({ name: null }, { name: '', phone: '' })).toBeNull();
	});
});
