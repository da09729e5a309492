"""What the API does, as functions over a store, one module per kind of thing: the routes
only translate.

Every change runs in ``audit.changes`` with its audit entry, and recomputes the findings
it affects in the same transaction: an incident's findings when it changes, an
agreement's findings when a version is uploaded. Overrides stand until the incident or
the rule they were made against changes; then they lapse, with the reason, in the audit
log.
"""
