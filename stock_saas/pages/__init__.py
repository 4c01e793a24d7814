"""Thin pages: each composes components and names its state's on_load handler."""
