"""Where a spec comes from: a path on disk, a bundled scenario, or the store.

``--agreement A`` accepts any of the three: an existing path (a scenario folder, its
``scenario.yaml``, or one agreement file beside a ``scenario.yaml``), the name of a
bundled scenario (``ceasewatch scenario list``), or the id of an agreement kept in the
store.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from ceasewatch.agreement.loader import SCENARIO_FILE, load_scenario
from ceasewatch.agreement.model import Scenario
from ceasewatch.agreement.problems import did_you_mean
from ceasewatch.errors import NotFound, UsageError

BUNDLED = Path(__file__).parent / "scenarios"


def bundled_names() -> list[str]:
    return sorted(p.name for p in BUNDLED.iterdir() if (p / SCENARIO_FILE).is_file())


def folder_reader(folder: Path) -> Callable[[str], str]:
    def read(rel: str) -> str:
        path = (folder / rel).resolve()
        return path.read_text(encoding="utf-8")

    return read


def _spec_kind(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.read(4096)
        doc = yaml.safe_load(head.split("\n---", 1)[0]) if "spec:" in head else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    return doc.get("spec") if isinstance(doc, dict) else None


def load_path(path: Path) -> Scenario:
    """A scenario folder, its scenario.yaml, or an agreement file beside a scenario.yaml."""
    if path.is_dir():
        return load_scenario(folder_reader(path))
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    if _spec_kind(path) == "ceasewatch.agreement.v1":
        if not (path.parent / SCENARIO_FILE).is_file():
            raise UsageError(
                f"{path}: an agreement needs the {SCENARIO_FILE} of its scenario (actors, zones) "
                "in the same folder — start from `ceasewatch scenario export syria-2016 DIR`"
            )
        return load_scenario(folder_reader(path.parent), only=path.name)
    return load_scenario(folder_reader(path.parent), entry=path.name)


def load_bundled(name: str) -> Scenario:
    if name not in bundled_names():
        raise NotFound(f"no bundled scenario {name!r} — {did_you_mean(name, bundled_names())}")
    return load_path(BUNDLED / name)


def export_bundled(name: str, target: Path) -> list[Path]:
    """Copy a bundled scenario's files to ``target`` for a user to start from."""
    if name not in bundled_names():
        raise NotFound(f"no bundled scenario {name!r} — {did_you_mean(name, bundled_names())}")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file — name a new folder to write the scenario into")
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{target} is not empty — choose a new folder")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted((BUNDLED / name).iterdir()):
        if src.is_file():
            shutil.copy2(src, target / src.name)
            written.append(target / src.name)
    return written


def resolve(
    spec: str, stored: Callable[[str], tuple[dict[str, str], str]] | None = None
) -> Scenario:
    """``--agreement`` -> a scenario holding the agreement(s) meant.

    ``stored(agreement_id)`` returns a stored agreement's scenario files and file name
    (``NotFound`` when there is none); without it, only paths and bundled names work.
    """
    path = Path(spec)
    if path.exists():
        return load_path(path)
    if spec in bundled_names():
        return load_bundled(spec)
    if stored is not None:
        try:
            files, file = stored(spec)
        except NotFound:
            pass
        else:
            return load_scenario(lambda rel: files[rel], only=file)
    hint = did_you_mean(spec, bundled_names())
    raise UsageError(
        f"--agreement {spec!r} is neither a path, a bundled scenario ({hint}), nor a stored agreement id"
    )
