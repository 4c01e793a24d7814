"""Business operations. The only code that reads or writes business data.

Every function takes a :class:`~stock_saas.services.context.Context` as its first,
keyword-only argument, scopes its queries to ``ctx.tenant_id`` through
:mod:`stock_saas.services.scoping`, checks the role, audits changes in the same
transaction and publishes events after commit.
"""
