// Fuzz target of a canonical CSV reader (the family is KPI_FUZZ_RECORD, e.g. call_record): any input
// must either read or fail with kpi::error, in both strict and lenient mode, without a crash, a leak, a
// hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "kpi/io/csv.hpp"
#include "kpi/records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using record = kpi::KPI_FUZZ_RECORD;
  const std::string text(reinterpret_cast<const char *>(data), size);
  for (const kpi::io::read_mode mode : {kpi::io::read_mode::strict, kpi::io::read_mode::lenient}) {
    std::istringstream in(text);
    kpi::io::read_options options;
    options.mode = mode;
    options.default_currency = kpi::currency::of("IDR");
    std::uint64_t seen = 0;
    try {
      const kpi::io::read_report report = kpi::io::read_csv<record>(
          in, "fuzz.csv", [&](const record &) { ++seen; }, options);
      if (report.accepted != seen || report.read != report.accepted + report.rejected) __builtin_trap();
    } catch (const kpi::error &) {
      // Rejected input is fine; anything else escaping is a bug and aborts the fuzzer.
    }
  }
  return 0;
}
