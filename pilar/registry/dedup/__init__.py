"""Fuzzy duplicate detection of persons: blocking keys, pair scoring, the scan engine and its services.

``blocking`` and ``scoring`` are pure functions over plain values (no ORM) so that a million persons
fit in memory as tuples; ``engine`` reads and writes the database in bulk; ``services`` hold the
state changes (scan, merge, mark distinct) with their audit entries.
"""
