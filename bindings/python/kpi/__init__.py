"""libkpi for Python: sales, marketing, telesales and call-centre KPIs.

A thin, Pythonic layer over libkpi's stable C ABI (ctypes). Undefined results (a zero denominator)
are ``None``; errors raise ``KpiError`` subclasses carrying the C status code.
"""

from ._native import (  # noqa: F401  (the package's public names)
    ConvergenceError,
    CorruptStateError,
    CurrencyError,
    InvalidArgumentError,
    KpiError,
    KpiOverflowError,
    NotFoundError,
    ParseError,
    UnknownKpiError,
    lib as _lib,
)

from .engine import Engine  # noqa: E402,F401

#: The library's version, "major.minor.patch", as the loaded libkpi.so reports it.
__version__ = _lib.kpi_version_string().decode()


def version_number() -> int:
    """The loaded library's version as major * 10000 + minor * 100 + patch."""
    return int(_lib.kpi_version_number())


def abi_version() -> int:
    """The loaded library's ABI major version (its SONAME number)."""
    return int(_lib.kpi_abi_version())
