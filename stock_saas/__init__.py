"""Stock-SaaS: multi-tenant inventory with live low-stock alerts."""
