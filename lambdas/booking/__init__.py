"""The booking Lambda package: catalogs, availability, bookings, users and notifications."""
