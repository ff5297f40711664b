"""The KPI catalog as Python sees it: complete, ordered, and consistent with the contract's ids."""

import pytest

import kpi
from kpi.catalog import catalog, info


def test_catalog_is_ordered_and_complete():
    entries = catalog()
    assert len(entries) >= 60
    ids = [e.id for e in entries]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    names = {e.name for e in entries}
    for name in ("calls", "connection_rate", "service_level", "abandon_rate", "win_rate", "churn_rate", "cac"):
        assert name in names


def test_lookup_by_name_and_id_agree():
    rate = info("connection_rate")
    assert rate.unit == "rate"
    assert rate.families == ("calls",)
    assert rate.windowed
    assert info(rate.id) == rate
    assert info("pipeline_value").unit == "money"
    assert not info("opportunity_score").windowed


def test_unknown_kpi_raises():
    with pytest.raises(kpi.UnknownKpiError) as excinfo:
        info("no_such_kpi")
    assert "no_such_kpi" in str(excinfo.value)
    with pytest.raises(KeyError):
        info(99999)
