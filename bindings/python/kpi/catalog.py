"""The KPI catalog: every KPI's id, name, unit, record families, description, formula and variants.

Read from libkpi's registry through the C ABI (kpi/c/catalog.h), so it always matches the library.
"""

from __future__ import annotations

import ctypes
from typing import List, NamedTuple, Tuple, Union

from ._native import check, lib

UNITS = {1: "count", 2: "rate", 3: "ratio", 4: "seconds", 5: "days", 6: "money", 7: "score"}
FAMILIES = ("calls", "orders", "leads", "opportunities", "customers", "spend", "targets")
_INFO_VERSION = 1


class _KpiInfo(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("id", ctypes.c_int32),
        ("unit", ctypes.c_int32),
        ("families", ctypes.c_uint32),
        ("name", ctypes.c_char_p),
        ("description", ctypes.c_char_p),
        ("formula", ctypes.c_char_p),
        ("variants", ctypes.c_char_p),
        ("windowed", ctypes.c_int32),
    ]


lib.kpi_catalog_count.argtypes = [ctypes.POINTER(ctypes.c_size_t)]
lib.kpi_catalog_count.restype = ctypes.c_int
lib.kpi_catalog_get.argtypes = [ctypes.POINTER(_KpiInfo), ctypes.c_size_t]
lib.kpi_catalog_get.restype = ctypes.c_int
lib.kpi_catalog_info.argtypes = [ctypes.POINTER(_KpiInfo), ctypes.c_int32]
lib.kpi_catalog_info.restype = ctypes.c_int
lib.kpi_catalog_find.argtypes = [ctypes.POINTER(_KpiInfo), ctypes.c_char_p]
lib.kpi_catalog_find.restype = ctypes.c_int


class KpiInfo(NamedTuple):
    """One KPI of the catalog."""

    id: int  #: pinned id (the C ABI's KPI_ID_*)
    name: str  #: snake_case name, e.g. "connection_rate"
    unit: str  #: "count", "rate", "ratio", "seconds", "days", "money" or "score"
    families: Tuple[str, ...]  #: record families it needs, e.g. ("calls",)
    description: str
    formula: str
    variants: str  #: variant parameters and defaults, "" when none
    windowed: bool  #: False for per-record KPIs (opportunity_score) and views (target_attainment)


def _convert(raw: _KpiInfo) -> KpiInfo:
    return KpiInfo(
        id=raw.id,
        name=raw.name.decode(),
        unit=UNITS.get(raw.unit, "unknown"),
        families=tuple(f for bit, f in enumerate(FAMILIES) if raw.families & (1 << bit)),
        description=raw.description.decode(),
        formula=raw.formula.decode(),
        variants=raw.variants.decode(),
        windowed=bool(raw.windowed),
    )


def catalog() -> List[KpiInfo]:
    """Every KPI, in id order."""
    count = ctypes.c_size_t()
    check(lib.kpi_catalog_count(ctypes.byref(count)))
    result = []
    for index in range(count.value):
        raw = _KpiInfo(version=_INFO_VERSION)
        check(lib.kpi_catalog_get(ctypes.byref(raw), index))
        result.append(_convert(raw))
    return result


def info(kpi: Union[str, int]) -> KpiInfo:
    """The catalog entry of a KPI name ("win_rate") or id. Raises UnknownKpiError for neither."""
    raw = _KpiInfo(version=_INFO_VERSION)
    if isinstance(kpi, str):
        check(lib.kpi_catalog_find(ctypes.byref(raw), kpi.encode()))
    else:
        check(lib.kpi_catalog_info(ctypes.byref(raw), int(kpi)))
    return _convert(raw)
