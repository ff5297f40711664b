// Fuzz target of the telephony importers (KPI_FUZZ_READER: 1 Asterisk cdr_csv, 2 Asterisk queue_log,
// 3 FreeSWITCH CSV CDR): any input must read or fail with kpi::error, in strict and lenient mode,
// without a crash, a leak, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "kpi/io/asterisk.hpp"
#include "kpi/io/freeswitch.hpp"

namespace {

template <class Options>
Options with_mode(kpi::io::read_mode mode) {
  Options options;
  options.mode = mode;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  for (const kpi::io::read_mode mode : {kpi::io::read_mode::strict, kpi::io::read_mode::lenient}) {
    std::istringstream in(text);
    std::uint64_t calls = 0;
    const auto count = [&](const kpi::call_record &) { ++calls; };
    try {
#if KPI_FUZZ_READER == 1
      const auto result =
          kpi::io::read_asterisk_cdr(in, "fuzz.csv", count, with_mode<kpi::io::cdr_options>(mode));
      if (result.calls != calls) __builtin_trap();
#elif KPI_FUZZ_READER == 2
      const auto result = kpi::io::read_asterisk_queue_log(in, "queue_log", count,
                                                           with_mode<kpi::io::queue_log_options>(mode));
      if (result.calls != calls) __builtin_trap();
#else
      (void)kpi::io::read_freeswitch_cdr(in, "Master.csv", count,
                                         with_mode<kpi::io::freeswitch_options>(mode));
#endif
    } catch (const kpi::error &) {
      // Rejected input is fine; anything else escaping is a bug and aborts the fuzzer.
    }
  }
  return 0;
}
