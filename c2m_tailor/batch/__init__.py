"""Batch and run: the whole chain for one order, and a factory's day of orders in one command."""
