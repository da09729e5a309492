"""Humanitarian access as tracked objects: corridors with opening windows, convoys and
their status history, access constraints in ACAPS' categories, and the ``access.v2``
judgements over them (route and checkpoint status per day, convoy findings).

A pure core: frozen dataclasses, no I/O, no clock. The store, CLI and API translate.
"""
