"""Exports: a group's data as files people can take with them (CSV, Markdown, zip archives).

Everything here streams: rows come from the database in batches and leave as bytes, so an
export of 100,000 annotations never holds them all in memory.
"""
