from __future__ import annotations

import pytest

from ceasewatch.agreement.loader import load_scenario
from ceasewatch.agreement.problems import SpecInvalid
from ceasewatch.agreement.sources import load_bundled
from tests.server.conftest import minimal_files


def test_the_syria_co_chairs_approve_delineations() -> None:
    scenario = load_bundled("syria-2016")
    assert {a.approvers for a in scenario.agreements} == {("ru", "us-coalition")}


def test_approvers_default_to_the_parties() -> None:
    files = minimal_files()
    (agreement,) = load_scenario(lambda rel: files[rel]).agreements
    assert agreement.approvers == agreement.parties == ("gov", "ally", "rebels")


def test_an_unknown_approver_is_a_located_problem() -> None:
    files = minimal_files()
    files["truce.yaml"] = files["truce.yaml"].replace(
        "parties: [gov, ally, rebels]\n",
        "parties: [gov, ally, rebels]\ndelineation_approvers: [gov, rebls]\n",
    )
    with pytest.raises(SpecInvalid) as e:
        load_scenario(lambda rel: files[rel])
    (problem,) = e.value.problems
    assert "truce.yaml:9" in str(problem) and "delineation_approvers" in str(problem)
    assert "rebels" in str(problem)  # did you mean
