"""Business operations, one package per domain: the only code that reads or writes
business data. Each package's ``__init__`` is its public API; front doors and other
domains import only that.

Every function takes a :class:`~stock_saas.services.core.Context` as its first,
keyword-only argument, scopes its queries to ``ctx.tenant_id`` through
:mod:`stock_saas.services.core.scoping`, checks the role, audits changes in the same
transaction and publishes events after commit.
"""
