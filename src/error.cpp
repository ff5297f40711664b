#include "kpi/error.hpp"

#include <utility>

namespace kpi {

const char *errc_name(errc code) noexcept {
  switch (code) {
    case errc::ok:
      return "ok";
    case errc::undefined:
      return "undefined result";
    case errc::invalid_argument:
      return "invalid argument";
    case errc::null_pointer:
      return "null pointer";
    case errc::bad_version:
      return "unsupported struct version";
    case errc::buffer_too_small:
      return "buffer too small";
    case errc::unknown_kpi:
      return "unknown KPI id";
    case errc::currency_mismatch:
      return "currency mismatch";
    case errc::overflow:
      return "arithmetic overflow";
    case errc::parse:
      return "malformed input";
    case errc::corrupt:
      return "corrupt or truncated data";
    case errc::no_memory:
      return "out of memory";
    case errc::not_found:
      return "not found";
    case errc::no_convergence:
      return "did not converge";
    case errc::io:
      return "input/output error";
    case errc::internal:
      return "internal error";
  }
  return "unknown status";
}

namespace {
std::string format_position(const std::string &file, std::uint64_t line, const std::string &column,
                            const std::string &reason) {
  std::string out = file + ":" + std::to_string(line) + ": ";
  if (!column.empty()) out += "column '" + column + "': ";
  return out + reason;
}
}  // namespace

parse_error::parse_error(std::string file, std::uint64_t line, std::string column, std::string reason)
    : error(errc::parse, format_position(file, line, column, reason)),
      file_(std::move(file)),
      line_(line),
      column_(std::move(column)),
      reason_(std::move(reason)) {}

}  // namespace kpi
