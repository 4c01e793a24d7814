"""Reusable pieces of the pages: layout, sidebar, stock table, dialogs, scanner."""
