// Fuzz target of the engine-state deserializer: any bytes must load or be rejected with
// kpi::error(errc::corrupt), never crash, hang or allocate without bound; a state that loads must save
// and load again to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kpi/engine.hpp"
#include "kpi/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  try {
    const kpi::engine loaded = kpi::engine::load(bytes);
    const std::string saved = loaded.save();
    if (kpi::engine::load(saved).save() != saved) __builtin_trap();
  } catch (const kpi::error &e) {
    if (e.code() != kpi::errc::corrupt) __builtin_trap();
  }
  return 0;
}
