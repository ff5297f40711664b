/**
 * @file kpi/c/common.h
 * @brief The foundations of the C ABI: export macros, pinned status codes, errors and versions.
 *
 * Included by kpi/kpi.h; do not include it directly.
 *
 * Conventions of every kpi_* function (see docs/c-api.md):
 * - A fallible function returns an `int` status: #KPI_OK (0) or a negative `KPI_E*` code.
 * - Output parameters come first and are named `out` or `*_out`; then the handle; then inputs.
 * - A struct that crosses the ABI starts with `uint32_t version`; fill it with its `*_INIT` macro or
 *   its `kpi_*_init()` function. Version 0 or a version newer than the library is #KPI_EVERSION.
 * - No call keeps a pointer it was given after it returns, unless its documentation says so.
 * - Unless a function says otherwise, a handle must not be used from two threads at once; functions
 *   without a handle are reentrant.
 */
#ifndef KPI_C_COMMON_H
#define KPI_C_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "kpi/version.h"

/** @defgroup kpi_common Status codes, errors and versions
 *  @{ */

#if defined(_WIN32)
#if defined(KPI_BUILDING_LIBRARY)
/** Marks a function of the C ABI (exported when building libkpi, imported otherwise). */
#define KPI_API __declspec(dllexport)
#else
#define KPI_API __declspec(dllimport)
#endif
/** The calling convention of every callback: cdecl, so P/Invoke's CallingConvention.Cdecl is right. */
#define KPI_CALLBACK(name) (__cdecl * name)
#else
#if defined(KPI_BUILDING_LIBRARY)
/** Marks a function of the C ABI: default visibility when building libkpi (all else is hidden). */
#define KPI_API __attribute__((visibility("default")))
#else
/** Marks a function of the C ABI (nothing to do when using the library). */
#define KPI_API
#endif
/** Declares a callback parameter `name` with libkpi's calling convention. */
#define KPI_CALLBACK(name) (*name)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Status codes. Values are pinned: never renumbered, never reused. Codes above -1000 are stable;
 * a future code may be added, so treat any unknown negative value as an error.
 */
enum {
  KPI_OK = 0,            /**< Success. */
  KPI_EUNDEFINED = -1,   /**< The result is undefined (zero denominator, empty window); not 0. */
  KPI_EINVAL = -2,       /**< An argument or parameter is outside its documented range. */
  KPI_ENULL = -3,        /**< A required pointer argument was NULL. */
  KPI_EVERSION = -4,     /**< A struct version that is 0 or newer than this library. */
  KPI_EBUFS = -5,        /**< A caller buffer is too small; the size query tells how much. */
  KPI_EUNKNOWNKPI = -6,  /**< A KPI id that is not in the catalog. */
  KPI_ECURRENCY = -7,    /**< Two currencies met without rates, or an unknown ISO 4217 code. */
  KPI_EOVERFLOW = -8,    /**< An integer (money) computation would overflow. */
  KPI_EPARSE = -9,       /**< Input that does not parse; the last error message says where. */
  KPI_ECORRUPT = -10,    /**< Serialized state that is corrupt, truncated or of unknown format. */
  KPI_ENOMEM = -11,      /**< Out of memory. */
  KPI_ENOTFOUND = -12,   /**< A group, period or name that does not exist. */
  KPI_ENOCONVERGE = -13, /**< An iterative fit or solver did not converge. */
  KPI_EIO = -14,         /**< A file could not be read or written. */
  KPI_EINTERNAL = -99    /**< A bug in libkpi; please report it with the last error message. */
};

/**
 * Static English text for a status code ("invalid argument"). Never NULL, nothing to free; an unknown
 * code gives "unknown status". Reentrant.
 * @param status A value returned by a kpi_* function.
 * @return A NUL-terminated string with static storage duration.
 */
KPI_API const char *kpi_status_str(int status);

/**
 * Detail of the last error on the calling thread ("calls.csv:17: column 'talk_s': negative duration").
 * Set by every function that returns an error; left unchanged by a successful call.
 * @return A NUL-terminated UTF-8 string owned by the library, valid until the next kpi_* call on the
 *         same thread; "" when no error happened on this thread. Never NULL. Read it on the thread that
 *         made the failing call (C# async code may resume on another thread).
 */
KPI_API const char *kpi_last_error_message(void);

/** Clears the calling thread's last error message. Thread-safe. */
KPI_API void kpi_clear_error(void);

/**
 * The library's version as KPI_VERSION_NUMBER would give it (major * 10000 + minor * 100 + patch).
 * Compare with the header's #KPI_VERSION_NUMBER to detect a mismatch. Reentrant.
 * @return The run-time version number.
 */
KPI_API int32_t kpi_version_number(void);

/**
 * The library's version as text, "major.minor.patch". Reentrant.
 * @return A static NUL-terminated string; nothing to free.
 */
KPI_API const char *kpi_version_string(void);

/**
 * The library's ABI major version (its SONAME number). Reentrant.
 * @return The ABI version the library was built with; equal to #KPI_ABI_VERSION when they match.
 */
KPI_API int32_t kpi_abi_version(void);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* KPI_C_COMMON_H */
