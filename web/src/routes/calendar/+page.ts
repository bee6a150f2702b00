import { allow, deferred, ready } from '$lib/app';
import { can } from '$lib/auth/roles';
import { addDays, dayRange, isDayKey, todayIn, weekStart } from '$lib/time/zoned';
import type { PageLoad } from './$types';

export type CalendarView = 'day' | 'week';

/**
 * The clinic's calendar: a day of every professional (reception's default), or a week
 * (a dentist's default, whose list the API already limits to their own calendar).
 * `?view=day|week&date=YYYY-MM-DD&professional=<id>`, days in the clinic's zone.
 */
export const load: PageLoad = async ({ parent, url, depends }) => {
	depends('app:bookings');
	const data = await ready(parent);
	const role = data.session.role;
	allow(data, can(role, 'seeCalendar'));
	const { api } = data.services;
	const timeZone = data.tenant.timeZone ?? 'America/Guayaquil';
	const requestedDate = url.searchParams.get('date');
	const date = isDayKey(requestedDate) ? requestedDate : todayIn(timeZone);
	const requestedView = url.searchParams.get('view');
	const view: CalendarView =
		requestedView === 'week' || requestedView === 'day' ? requestedView : role === 'Dentist' ? 'week' : 'day';
	const first = view === 'week' ? weekStart(date) : date;
	const days = view === 'week' ? 7 : 1;
	const range = dayRange(first, addDays(first, days - 1), timeZone);
	const requestedProfessional = url.searchParams.get('professional') ?? '';

	const calendar = api.professionals.list().then(async (professionals) => {
		// A dentist's own calendars are the professionals linked to their user.
		const own = professionals.filter((item) => item.userId === data.session.sub);
		let professionalId: string | undefined = requestedProfessional || undefined;
		if (role === 'Dentist') {
			professionalId = own.some((item) => item.id === requestedProfessional)
				? requestedProfessional
				: own.length > 1
					? own[0]?.id
					: undefined;
		}
		// Each booking carries its patient's name and phone (a snapshot at booking time).
		const [bookings, treatments] = await Promise.all([
			api.bookings.listAll({ from: range.from, to: range.to, professionalId }),
			api.treatments.list()
		]);
		return { professionals, own, professionalId: professionalId ?? '', bookings, treatments };
	});

	return { ...data, view, date, first, days, calendar: deferred(calendar) };
};
