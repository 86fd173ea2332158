"""The pivot: openness over time (trends), policy shifts of flagships, and commercial-use classes.

Pure functions over the catalog and `query.Dataset`; nothing here knows about the UI.
"""
