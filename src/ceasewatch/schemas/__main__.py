"""``python -m ceasewatch.schemas``: regenerate the shipped schema files."""

from ceasewatch.schemas import HERE, write

if __name__ == "__main__":
    write([HERE, HERE.parents[2] / "docs" / "schemas"])
