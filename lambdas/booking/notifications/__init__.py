"""Emails and reminders about bookings: rendering (jinja2 + iCalendar) and the service
that applies the pure decisions of ``booking.domain.notifications`` through ports."""
