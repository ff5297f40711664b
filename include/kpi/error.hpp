/// @file
/// @brief The error model of the C++ core: one exception type carrying a pinned error code.
///
/// Every fallible function of the core throws kpi::error (or kpi::parse_error for input that does not
/// parse). The codes are the same numbers the C ABI returns (`KPI_E*` in `kpi/kpi.h`), so the C waist
/// translates an exception into a status without a lookup table.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace kpi {

/// Error codes shared by the C++ core and the C ABI. Values are pinned forever: never renumbered,
/// never reused.
enum class errc : std::int32_t {
  ok = 0,                  ///< Success.
  undefined = -1,          ///< The result is undefined (a zero denominator, an empty window).
  invalid_argument = -2,   ///< An argument or parameter is outside its documented range.
  null_pointer = -3,       ///< A required pointer was NULL (C ABI only).
  bad_version = -4,        ///< A struct version that is 0 or newer than this library knows.
  buffer_too_small = -5,   ///< A caller buffer is too small; the size query says how much is needed.
  unknown_kpi = -6,        ///< A KPI id that is not in the catalog.
  currency_mismatch = -7,  ///< Two currencies met without conversion rates, or an unknown currency.
  overflow = -8,           ///< An integer (money) computation would overflow.
  parse = -9,              ///< Input that does not parse (see kpi::parse_error for the position).
  corrupt = -10,           ///< Serialized state that is corrupt, truncated or of an unknown format.
  no_memory = -11,         ///< An allocation failed.
  not_found = -12,         ///< A group, period or name that does not exist.
  no_convergence = -13,    ///< An iterative fit or solver did not converge.
  io = -14,                ///< A file could not be read or written.
  internal = -99,          ///< A bug in libkpi: please report it.
};

/// Static English text for an error code ("invalid argument", ...). Never returns null.
/// Thread-safe.
const char *errc_name(errc code) noexcept;

/// The exception thrown by the C++ core. Carries an errc and a human-readable message.
class error : public std::runtime_error {
 public:
  /// Creates an error with a code and a message that says what was wrong and, where it helps, how to
  /// fix it.
  error(errc code, const std::string &message) : std::runtime_error(message), code_(code) {}

  /// The pinned error code.
  [[nodiscard]] errc code() const noexcept { return code_; }

 private:
  errc code_;
};

/// An input error with its position: file (or stream name), 1-based line, column name and reason.
/// `what()` reads `file:line: column 'name': reason`.
class parse_error : public error {
 public:
  /// Creates a parse error. `line` is 1-based (the header row is line 1); `column` may be empty when
  /// the whole row is at fault.
  parse_error(std::string file, std::uint64_t line, std::string column, std::string reason);

  /// The file or stream name given to the reader.
  [[nodiscard]] const std::string &file() const noexcept { return file_; }
  /// The 1-based line number of the offending row.
  [[nodiscard]] std::uint64_t line() const noexcept { return line_; }
  /// The column name, or empty when the row as a whole is malformed.
  [[nodiscard]] const std::string &column() const noexcept { return column_; }
  /// Why the value was rejected, without the position.
  [[nodiscard]] const std::string &reason() const noexcept { return reason_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::string column_;
  std::string reason_;
};

}  // namespace kpi
