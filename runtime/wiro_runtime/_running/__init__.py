"""Flows and their drivers: the policy of every operation, and the clients that perform it."""
