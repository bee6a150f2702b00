"""Thin Lambda entry points: parse, call one domain service, respond."""
