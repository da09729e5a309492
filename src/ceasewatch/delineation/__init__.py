"""The implementation cell: zone delineations as versioned map proposals.

A party's liaison proposes where zones of one type lie (e.g. where Nusra is intermingled
with the opposition in south-west Aleppo: ``marbled``); the other side counter-proposes;
a version becomes *active* only when every designated approver has signed it, and then
replaces the spec's zones it names. While two sides' proposals disagree and none is
agreed, the area where they differ is *disputed*: rules that depend on the delineation
give ``undetermined`` there.

- ``model``: proposals, signatures, and who may sign what (pure);
- ``shapes``: checking a proposal's polygons, areas in km², the disputed area (pure);
- ``apply``: the active versions in the world, and their effect on an evaluation (pure);
- ``store``: the tables, approval in one audited transaction, re-evaluation (adapter).
"""
