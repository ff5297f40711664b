// Internal: the little-endian binary encoding shared by the serializable accumulators
// (exact_histogram, call_stats, caller_tracker, order_stats, ...). Not installed.
//
// Every reader takes the remaining input by reference, advances it past what it consumed, and throws
// kpi::error(errc::corrupt) naming `what` when the input is truncated or malformed. Nothing here allocates
// on the reading side; callers must bound any allocation by what the remaining input can describe (see
// check_count()).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <optional>

#include "kpi/error.hpp"
#include "kpi/money.hpp"

namespace kpi::detail::wire {

/// Throws errc::corrupt with "corrupt <what>: <reason>".
[[noreturn]] inline void corrupt(std::string_view what, std::string_view reason) {
  throw kpi::error(kpi::errc::corrupt,
                   "corrupt serialized " + std::string(what) + ": " + std::string(reason));
}

inline void put_u8(std::string &out, std::uint8_t v) {
  out.push_back(static_cast<char>(v));
}

inline void put_u64(std::string &out, std::uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xffu);
  out.append(b, 8);
}

inline void put_f64(std::string &out, double v) {
  put_u64(out, std::bit_cast<std::uint64_t>(v));
}

/// Unsigned LEB128: 7 bits a byte, low group first, at most 10 bytes.
inline void put_varint(std::string &out, std::uint64_t v) {
  while (v >= 0x80u) {
    out.push_back(static_cast<char>((v & 0x7fu) | 0x80u));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline std::uint8_t get_u8(std::string_view &in, std::string_view what) {
  if (in.empty()) corrupt(what, "truncated");
  const auto v = static_cast<std::uint8_t>(in.front());
  in.remove_prefix(1);
  return v;
}

inline std::uint64_t get_u64(std::string_view &in, std::string_view what) {
  if (in.size() < 8) corrupt(what, "truncated");
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(8);
  return v;
}

inline double get_f64(std::string_view &in, std::string_view what) {
  return std::bit_cast<double>(get_u64(in, what));
}

/// Reads an unsigned LEB128 written by put_varint; rejects more than 10 bytes and bits beyond 64.
inline std::uint64_t get_varint(std::string_view &in, std::string_view what) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    if (in.empty()) corrupt(what, "truncated");
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    if (shift == 63 && (byte & 0x7eu) != 0) corrupt(what, "varint overflows 64 bits");
    v |= static_cast<std::uint64_t>(byte & 0x7fu) << shift;
    if ((byte & 0x80u) == 0) return v;
    if (shift == 63) corrupt(what, "varint longer than 10 bytes");
  }
}

/// Writes the 2-byte preamble of a structure: its tag and format version.
inline void put_header(std::string &out, std::uint8_t tag, std::uint8_t version) {
  put_u8(out, tag);
  put_u8(out, version);
}

/// Reads and checks the preamble written by put_header.
inline void expect_header(std::string_view &in, std::uint8_t tag, std::uint8_t version,
                          std::string_view what) {
  if (get_u8(in, what) != tag) corrupt(what, "wrong structure tag");
  const std::uint8_t v = get_u8(in, what);
  if (v != version) corrupt(what, "unknown format version " + std::to_string(v));
}

/// Checks that `n` items of at least `min_bytes_each` bytes can fit in the remaining input, so that a
/// reader never reserves memory that the input could not describe.
inline void check_count(std::uint64_t n, std::size_t min_bytes_each, const std::string_view &in,
                        std::string_view what) {
  if (min_bytes_each == 0) min_bytes_each = 1;
  if (n > in.size() / min_bytes_each) corrupt(what, "item count " + std::to_string(n) + " exceeds the input");
}

/// Writes an optional currency as its 3-letter code, or three NUL bytes when absent.
inline void put_currency(std::string &out, const std::optional<currency> &c) {
  if (!c) {
    out.append(3, '\0');
    return;
  }
  out.append(c->code());
}

/// Reads what put_currency() wrote; an unknown code is corrupt.
inline std::optional<currency> get_currency(std::string_view &in, std::string_view what) {
  if (in.size() < 3) corrupt(what, "truncated");
  const std::string_view code = in.substr(0, 3);
  in.remove_prefix(3);
  if (code == std::string_view("\0\0\0", 3)) return std::nullopt;
  currency c;
  if (!currency::try_of(code, c)) corrupt(what, "unknown currency code");
  return c;
}

}  // namespace kpi::detail::wire
