"""Loading libkpi.so and turning its status codes into Python exceptions.

Internal to the ``kpi`` package: every module declares the ctypes signatures it uses on ``lib`` and
wraps each call in ``check()``.

The library is found, in order: the ``KPI_LIBRARY`` environment variable (a path to libkpi.so), a
libkpi.so next to this package, then the system's library search (``ctypes.util.find_library``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

# Pinned status codes of kpi/kpi.h (KPI_E*).
OK = 0
EUNDEFINED = -1
EINVAL = -2
ENULL = -3
EVERSION = -4
EBUFS = -5
EUNKNOWNKPI = -6
ECURRENCY = -7
EOVERFLOW = -8
EPARSE = -9
ECORRUPT = -10
ENOMEM = -11
ENOTFOUND = -12
ENOCONVERGE = -13
EIO = -14
EINTERNAL = -99


class KpiError(Exception):
    """An error reported by libkpi. ``status`` is the pinned C status code (a negative int)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class InvalidArgumentError(KpiError, ValueError):
    """A parameter outside its documented range (KPI_EINVAL)."""


class UnknownKpiError(KpiError, KeyError):
    """A KPI id that is not in the catalog (KPI_EUNKNOWNKPI)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class CurrencyError(KpiError, ValueError):
    """Two currencies met without conversion rates, or an unknown ISO 4217 code (KPI_ECURRENCY)."""


class KpiOverflowError(KpiError, OverflowError):
    """Money arithmetic that would overflow 64-bit minor units (KPI_EOVERFLOW)."""


class ParseError(KpiError, ValueError):
    """Input that does not parse; the message names the file, line, column and reason (KPI_EPARSE)."""


class CorruptStateError(KpiError, ValueError):
    """Serialized engine state that is corrupt or truncated (KPI_ECORRUPT)."""


class NotFoundError(KpiError, LookupError):
    """A group, period or name that does not exist (KPI_ENOTFOUND)."""


class ConvergenceError(KpiError, ArithmeticError):
    """A model fit or solver that did not converge (KPI_ENOCONVERGE)."""


_EXCEPTIONS = {
    EINVAL: InvalidArgumentError,
    EUNKNOWNKPI: UnknownKpiError,
    ECURRENCY: CurrencyError,
    EOVERFLOW: KpiOverflowError,
    EPARSE: ParseError,
    ECORRUPT: CorruptStateError,
    ENOTFOUND: NotFoundError,
    ENOCONVERGE: ConvergenceError,
    ENOMEM: MemoryError,
}


def _load() -> ctypes.CDLL:
    candidates = []
    if os.environ.get("KPI_LIBRARY"):
        candidates.append(os.environ["KPI_LIBRARY"])
    candidates.append(str(Path(__file__).with_name("libkpi.so")))
    found = ctypes.util.find_library("kpi")
    if found:
        candidates.append(found)
    errors = []
    for path in candidates:
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            errors.append(f"{path}: {exc}")
    raise ImportError("libkpi.so not found; set KPI_LIBRARY to its path. Tried: " + "; ".join(errors))


lib = _load()

lib.kpi_status_str.restype = ctypes.c_char_p
lib.kpi_status_str.argtypes = [ctypes.c_int]
lib.kpi_last_error_message.restype = ctypes.c_char_p
lib.kpi_last_error_message.argtypes = []
lib.kpi_version_number.restype = ctypes.c_int32
lib.kpi_version_number.argtypes = []
lib.kpi_version_string.restype = ctypes.c_char_p
lib.kpi_version_string.argtypes = []
lib.kpi_abi_version.restype = ctypes.c_int32
lib.kpi_abi_version.argtypes = []


def status_str(status: int) -> str:
    """The library's static text for a status code."""
    return lib.kpi_status_str(status).decode()


def error_for(status: int) -> Exception:
    """The exception for a failed call, with the library's last error message on this thread."""
    detail = lib.kpi_last_error_message().decode("utf-8", "replace")
    message = detail or status_str(status)
    cls = _EXCEPTIONS.get(status)
    if cls is MemoryError:
        return MemoryError(message)
    if cls is None:
        return KpiError(status, message)
    return cls(status, message)


def check(status: int) -> int:
    """Raises the mapped exception when ``status`` is an error; returns it otherwise (KPI_OK or
    KPI_EUNDEFINED, which callers turn into ``None``)."""
    if status < 0 and status != EUNDEFINED:
        raise error_for(status)
    return status


def defined(status: int, value: float):
    """``value`` for KPI_OK, ``None`` for KPI_EUNDEFINED, an exception for any other error."""
    return None if check(status) == EUNDEFINED else value
