// Fuzz target of the engine-state deserializer: any bytes must load or be rejected with
// kpi::error(errc::corrupt), never crash, hang or allocate without bound; a state that loads must save
// and load again to the same bytes.
//
// Each input is tried as given and, from 20 bytes on, with its body length and CRC-32 patched to match
// (docs/engine.md): otherwise almost every mutation would stop at the checksum and the fuzzer would
// never reach the body's readers.
#include <boost/crc.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/engine.hpp"
#include "kpi/error.hpp"

namespace {

void check(std::string_view bytes) {
  try {
    const kpi::engine loaded = kpi::engine::load(bytes);
    const std::string saved = loaded.save();
    if (kpi::engine::load(saved).save() != saved) __builtin_trap();
  } catch (const kpi::error &e) {
    if (e.code() != kpi::errc::corrupt) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  check(bytes);
  if (size >= 20) {
    std::string fixed(bytes);
    const std::uint64_t body = size - 20;  // 16 bytes of header, 4 of CRC
    for (int i = 0; i < 8; ++i)
      fixed[8 + static_cast<std::size_t>(i)] = static_cast<char>((body >> (8 * i)) & 0xffu);
    boost::crc_32_type crc;
    crc.process_bytes(fixed.data(), size - 4);
    const std::uint32_t c = crc.checksum();
    for (int i = 0; i < 4; ++i)
      fixed[size - 4 + static_cast<std::size_t>(i)] = static_cast<char>((c >> (8 * i)) & 0xffu);
    check(fixed);
  }
  return 0;
}
