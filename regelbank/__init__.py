"""Regelbank: the application layer (console, services over engine and store)."""
