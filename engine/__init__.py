"""Regelbank embeddable engine: load, validate, evaluate, trace. No Flask, no database."""
