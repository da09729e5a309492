"""``python -m ceasewatch.schemas``: regenerate the shipped schema files."""

from ceasewatch.schemas import HERE, write

write([HERE, HERE.parents[2] / "docs" / "schemas"])
