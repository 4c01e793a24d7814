"""Reflex states: the verified session (AuthState) and one state per page concern.

Every event handler that reads or changes data starts from ``AuthState._session()``,
which verifies the browser's JWT and re-reads the user from the database; services
then check the role again. Backend-only vars (leading underscore) hold identity.
"""
