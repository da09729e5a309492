"""Fusion: fold the reports of one real event into one incident, and grade it.

Pure (no I/O, no clock). ``fuse`` takes ``Report`` s (an incident, the dataset it came
from, the class of its source) and returns ``Cluster`` s (the fused incident, its
members' ids, the reasons); ``grade`` grades a set of reports on Airwars' scale.
docs/fusion.md gives the rules.
"""

from ceasewatch.fusion.fuse import fuse
from ceasewatch.fusion.grading import grade
from ceasewatch.fusion.report import SOURCE_CLASSES, Cluster, Report
from ceasewatch.fusion.settings import FusionSettings, GradingRules

__all__ = ["SOURCE_CLASSES", "Cluster", "FusionSettings", "GradingRules", "Report", "fuse", "grade"]
