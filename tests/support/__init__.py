"""Helpers every test folder shares: free ports, waiting for a condition or a server,
child processes with logs, and where the real PostgreSQL and Redis are."""
