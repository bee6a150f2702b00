/**
 * A person's name and phone as the forms edit them (the patient's own profile, a user
 * edited by staff): only what changed is sent, and an emptied phone is sent as null,
 * which the API reads as "remove it". The API validates the values themselves.
 */
import type { User } from '$lib/api/types';

export interface ContactForm {
	name: string;
	phone: string;
}

export interface ContactPatch {
	name?: string;
	phone?: string | null;
}

export function contactForm(user: Pick<User, 'name' | 'phone'>): ContactForm {
	return { name: user.name ?? '', phone: user.phone ?? '' };
}

/** The fields that changed; a name cannot be emptied (the API requires one once set). */
export function contactPatch(before: Pick<User, 'name' | 'phone'>, form: ContactForm): ContactPatch {
	const patch: ContactPatch = {};
	const name = form.name.trim();
	const phone = form.phone.trim();
	if (name && name !== (before.name ?? '')) patch.name = name;
	if (phone !== (before.phone ?? '')) patch.phone = phone || null;
	return patch;
}

/** Why the form cannot be sent as it is, or null. */
export function contactProblem(before: Pick<User, 'name'>, form: ContactForm): 'nameRequired' | null {
	return before.name && !form.name.trim() ? 'nameRequired' : null;
}
