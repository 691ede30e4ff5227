"""People and access: nations, users, clearances, roles, tokens, and the one access rule.

``logic.may`` decides whether a principal may see or change a marked record;
``restrict.restrict`` applies the same rule inside SQL queries.
"""
