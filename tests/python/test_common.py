"""The Python package loads libkpi.so, reports its version and maps status codes to exceptions."""

import re

import kpi
from kpi import _native


def test_version_matches_library():
    assert re.fullmatch(r"\d+\.\d+\.\d+", kpi.__version__)
    major, minor, patch = (int(x) for x in kpi.__version__.split("."))
    assert kpi.version_number() == major * 10000 + minor * 100 + patch
    assert kpi.abi_version() >= 0


def test_status_text_is_static_library_text():
    assert _native.status_str(_native.EBUFS) == "buffer too small"
    assert _native.status_str(-4242) == "unknown status"


def test_status_codes_map_to_exceptions():
    err = _native.error_for(_native.EINVAL)
    assert isinstance(err, kpi.InvalidArgumentError)
    assert isinstance(err, ValueError)
    assert err.status == _native.EINVAL
    assert isinstance(_native.error_for(_native.EPARSE), kpi.ParseError)
    assert isinstance(_native.error_for(_native.ENOMEM), MemoryError)
    assert type(_native.error_for(-4242)) is kpi.KpiError


def test_undefined_is_none_not_zero():
    assert _native.defined(_native.OK, 0.61) == 0.61
    assert _native.defined(_native.EUNDEFINED, 0.0) is None
    try:
        _native.defined(_native.EINVAL, 1.0)
    except kpi.InvalidArgumentError:
        pass
    else:
        raise AssertionError("EINVAL must raise")
