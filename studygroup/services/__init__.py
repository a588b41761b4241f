"""Queries and writes, one module per noun; services own the commit."""
