// Benchmarks of issue 6: import throughput in MB/s and records/s (goal: >= 200 MB/s on one core for the
// canonical calls CSV).
//
// Inputs, built once in memory (the timed loop reads them through a std::istringstream made with the
// timer paused, so neither disk nor the copy into the stream is measured):
// - calls.csv: 200k canonical call rows (the header of kpis.md, 13 columns), 500 agents, 25 teams, 8
//   campaigns, 25 % inbound calls in queue `cs-inbound`, 13-digit callers, ISO 8601 starts with a +07:00
//   offset (as examples/demo/calls.csv), whole-second durations, absent optionals empty; ~105 bytes a row.
// - queue_log: examples/demo/queue_log (5123 lines, 29 days) repeated 40 times, each copy 30 days later
//   than the one before, with fresh call ids (epoch part shifted, sequence part + 1e6 per copy).
// - Master.csv: ../shared/data/asterisk/cdr_csv_21col_Master.csv (84 legs of 21 columns) repeated 1200
//   times, each copy 2 days later, with fresh uniqueid / linkedid / sequence and channel suffixes.
//
// Benchmarks: BM_CsvTokenizer (kpi::io::csv_reader alone, every field touched), BM_CsvReadCalls
// (kpi::io::read_csv<call_record>: tokenize, parse, validate), BM_AsteriskQueueLog
// (read_asterisk_queue_log), BM_AsteriskCdrLegs (read_asterisk_cdr_legs: rows only) and BM_AsteriskCdr
// (read_asterisk_cdr: legs grouped into calls). bytes_per_second is the input's size; items_per_second
// counts rows (lines, legs); "records" counts the call records emitted per pass.
//
// Run (docs/performance.md has the numbers):
//   cmake --build build/perf -j2 --target kpi_bench
//   build/perf/bench/kpi_bench --benchmark_filter='Csv|Asterisk' --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/io/asterisk.hpp"
#include "kpi/io/csv.hpp"

#ifndef KPI_SHARED_DATA_DIR
#define KPI_SHARED_DATA_DIR "../shared/data"
#endif

namespace {

using namespace std::chrono;

/// SplitMix64's finalizer over (row, field): reproducible draws without generator state.
std::uint64_t draw(std::uint64_t row, std::uint64_t field, std::uint64_t range) {
  std::uint64_t z = 11 + 0x9E3779B97F4A7C15ULL * (row * 16 + field + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31)) % range;
}

void append_int(std::string &out, std::int64_t v, int width = 0) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (int pad = width - static_cast<int>(r.ptr - buf); pad > 0; --pad) out.push_back('0');
  out.append(buf, r.ptr);
}

/// `YYYY-MM-DD?HH:MM:SS` of a local time given as seconds since the epoch (of the local clock).
void append_local(std::string &out, std::int64_t local_s, char sep) {
  const sys_seconds t{seconds{local_s}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{t - day};
  append_int(out, static_cast<int>(ymd.year()), 4);
  out.push_back('-');
  append_int(out, static_cast<unsigned>(ymd.month()), 2);
  out.push_back('-');
  append_int(out, static_cast<unsigned>(ymd.day()), 2);
  out.push_back(sep);
  append_int(out, hms.hours().count(), 2);
  out.push_back(':');
  append_int(out, hms.minutes().count(), 2);
  out.push_back(':');
  append_int(out, hms.seconds().count(), 2);
}

/// The canonical calls CSV: `rows` calls of 500 agents over about 30 days, in start order.
std::string make_calls_csv(std::size_t rows) {
  static const char *const campaigns[] = {"CMP-INTERNET", "CMP-ASURANSI", "CMP-KARTU-KREDIT", "CMP-PINJAMAN",
                                          "CMP-TV-KABEL", "CMP-UMROH",    "CMP-PROPERTI",     "CMP-RETENSI"};
  static const char *const out_outcomes[] = {"connected", "no_answer", "busy", "voicemail", "failed"};
  std::string s =
      "call_id,agent_id,team_id,campaign_id,queue_id,direction,caller,start,wait_s,talk_s,hold_s,"
      "acw_s,outcome\n";
  s.reserve(rows * 120);
  const std::int64_t t0_local = 1'793'491'200 + 7 * 3600;  // 2026-11-01T07:00:00+07:00
  for (std::size_t i = 0; i < rows; ++i) {
    const auto agent = static_cast<std::int64_t>(draw(i, 0, 500));
    const bool in = draw(i, 1, 100) < 25;
    const auto pct = draw(i, 2, 100);
    const char *outcome = in ? (pct < 80   ? "connected"
                                : pct < 95 ? "abandoned"
                                           : "timeout")
                             : out_outcomes[pct < 50   ? 0
                                            : pct < 75 ? 1
                                            : pct < 85 ? 2
                                            : pct < 95 ? 3
                                                       : 4];
    const bool connected = outcome[0] == 'c' && outcome[1] == 'o';
    s.append(in ? "IB-" : "OB-");
    append_int(s, static_cast<std::int64_t>(i), 7);
    s.push_back(',');
    if (!in || connected) {
      s.append("agt-");
      append_int(s, agent, 3);
    }
    s.append(",tim-");
    append_int(s, agent % 25, 2);
    s.push_back(',');
    if (!in) s.append(campaigns[agent % 8]);
    s.push_back(',');
    if (in) s.append("cs-inbound");
    s.append(in ? ",inbound,628" : ",outbound,628");
    append_int(s, static_cast<std::int64_t>(draw(i, 3, 10'000'000'000ULL)), 10);
    s.push_back(',');
    append_local(s, t0_local + static_cast<std::int64_t>(i) * 13, 'T');  // 200k calls in 30 days
    s.append("+07:00,");
    if (in) append_int(s, static_cast<std::int64_t>(draw(i, 4, 121)));
    s.push_back(',');
    append_int(s, connected ? 5 + static_cast<std::int64_t>(draw(i, 5, 896)) : 0);
    s.push_back(',');
    if (connected && draw(i, 6, 3) == 0) append_int(s, static_cast<std::int64_t>(draw(i, 7, 61)));
    s.push_back(',');
    if (connected) append_int(s, static_cast<std::int64_t>(draw(i, 8, 91)));
    s.push_back(',');
    s.append(outcome);
    s.push_back('\n');
  }
  return s;
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// "prefix-EPOCH.SEQ" (an Asterisk uniqueid) with EPOCH + shift_s and SEQ + seq_add; other text as is.
std::string shift_id(std::string_view id, std::int64_t shift_s, std::int64_t seq_add) {
  const std::size_t dot = id.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::string(id);
  std::size_t b = dot;
  while (b > 0 && id[b - 1] >= '0' && id[b - 1] <= '9') --b;
  std::int64_t epoch = 0, seq = 0;
  const auto r1 = std::from_chars(id.data() + b, id.data() + dot, epoch);
  const auto r2 = std::from_chars(id.data() + dot + 1, id.data() + id.size(), seq);
  if (b == dot || r1.ec != std::errc{} || r2.ec != std::errc{} || r2.ptr != id.data() + id.size())
    return std::string(id);
  std::string out(id.substr(0, b));
  append_int(out, epoch + shift_s);
  out.push_back('.');
  append_int(out, seq + seq_add);
  return out;
}

/// The repository's root: bench/CMakeLists.txt defines KPI_SHARED_DATA_DIR as `<root>/../shared/data`.
std::string source_dir() {
  const std::string shared = KPI_SHARED_DATA_DIR;
  const std::string_view suffix = "/../shared/data";
  if (shared.size() > suffix.size() && shared.ends_with(suffix))
    return shared.substr(0, shared.size() - suffix.size());
  return ".";
}

/// examples/demo/queue_log repeated `copies` times, 30 days apart, with fresh call ids.
std::string make_queue_log(int copies) {
  const std::string demo = read_file(source_dir() + "/examples/demo/queue_log");
  std::vector<std::string_view> lines;
  for (std::size_t b = 0; b < demo.size();) {
    std::size_t e = demo.find('\n', b);
    if (e == std::string::npos) e = demo.size();
    if (e > b) lines.emplace_back(demo.data() + b, e - b);
    b = e + 1;
  }
  std::string out;
  out.reserve(demo.size() * static_cast<std::size_t>(copies) + 1024);
  for (int k = 0; k < copies; ++k) {
    const std::int64_t shift = std::int64_t{k} * 30 * 86400;
    for (const std::string_view line : lines) {
      const std::size_t p1 = line.find('|'), p2 = line.find('|', p1 + 1);
      std::int64_t epoch = 0;
      std::from_chars(line.data(), line.data() + p1, epoch);
      append_int(out, epoch + shift);
      out.push_back('|');
      out += shift_id(line.substr(p1 + 1, p2 - p1 - 1), shift, std::int64_t{k} * 1'000'000);
      out.append(line.substr(p2));
      out.push_back('\n');
    }
  }
  return out;
}

/// Seconds since the epoch of a `YYYY-MM-DD HH:MM:SS` text (no validation: the input is known).
std::int64_t parse_local(std::string_view t) {
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    std::from_chars(t.data() + at, t.data() + at + len, v);
    return v;
  };
  const sys_days day{year{num(0, 4)} / month{static_cast<unsigned>(num(5, 2))} / num(8, 2)};
  return day.time_since_epoch().count() * 86400 + num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
}

/// The 21-column Master.csv repeated `copies` times, 2 days apart, with fresh ids and channel suffixes.
/// Written as Asterisk writes it: every field quoted except duration, billsec and sequence.
std::string make_cdr(int copies) {
  const std::string master = read_file(KPI_SHARED_DATA_DIR "/asterisk/cdr_csv_21col_Master.csv");
  std::istringstream in(master);
  kpi::io::csv_reader reader(in, "Master.csv");
  std::vector<std::vector<std::string>> rows;
  while (reader.next()) {
    auto &row = rows.emplace_back();
    for (std::size_t f = 0; f < reader.size(); ++f) row.emplace_back(reader.field(f));
  }
  auto quoted = [](std::string &out, std::string_view v) {
    out.push_back('"');
    for (const char c : v) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  };
  auto channel = [](std::string_view c, std::int64_t k) {
    // `SIP/211474-00000000`: a new 8-hex-digit suffix per copy.
    const std::size_t dash = c.rfind('-');
    if (dash == std::string_view::npos || c.size() - dash != 9) return std::string(c);
    unsigned v = 0;
    if (std::from_chars(c.data() + dash + 1, c.data() + c.size(), v, 16).ec != std::errc{})
      return std::string(c);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", v + static_cast<unsigned>(k) * 0x100u);
    return std::string(c.substr(0, dash + 1)) + buf;
  };
  std::string out;
  out.reserve(master.size() * static_cast<std::size_t>(copies) + 1024);
  for (int k = 0; k < copies; ++k) {
    const std::int64_t shift = std::int64_t{k} * 2 * 86400;
    for (const auto &row : rows) {
      for (std::size_t f = 0; f < row.size(); ++f) {
        if (f != 0) out.push_back(',');
        const std::string &v = row[f];
        switch (f) {
          case 5:
          case 6:
            quoted(out, channel(v, k));
            break;
          case 9:
          case 10:
          case 11:
            if (v.empty()) {
              quoted(out, v);
            } else {
              std::string t;
              append_local(t, parse_local(v) + shift, ' ');
              quoted(out, t);
            }
            break;
          case 12:
          case 13:
            out += v;
            break;
          case 16:
          case 19:
            quoted(out, shift_id(v, shift, std::int64_t{k} * 1000));
            break;
          case 20: {
            std::int64_t seq = 0;
            std::from_chars(v.data(), v.data() + v.size(), seq);
            append_int(out, seq + std::int64_t{k} * 100);
            break;
          }
          default:
            quoted(out, v);
        }
      }
      out.push_back('\n');
    }
  }
  return out;
}

struct inputs {
  std::string calls = make_calls_csv(200'000);
  std::string queue_log = make_queue_log(40);
  std::string cdr = make_cdr(1200);
};

const inputs &data() {
  static const inputs d;
  return d;
}

void finish(benchmark::State &state, const std::string &text, std::uint64_t rows, std::uint64_t records) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
  state.counters["input_MB"] = static_cast<double>(text.size()) / 1e6;
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["records"] = static_cast<double>(records);
}

void BM_CsvTokenizer(benchmark::State &state) {
  const std::string &text = data().calls;
  std::uint64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::istringstream in(text);
    state.ResumeTiming();
    kpi::io::csv_reader reader(in, "calls.csv");
    std::size_t bytes = 0;
    rows = 0;
    while (reader.next()) {
      ++rows;
      for (std::size_t f = 0; f < reader.size(); ++f) bytes += reader.field(f).size();
    }
    benchmark::DoNotOptimize(bytes);
  }
  finish(state, text, rows - 1, 0);  // the header is not a record
}
BENCHMARK(BM_CsvTokenizer)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CsvReadCalls(benchmark::State &state) {
  const std::string &text = data().calls;
  std::uint64_t rows = 0, records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::istringstream in(text);
    state.ResumeTiming();
    double talk = 0;
    const kpi::io::read_report r = kpi::io::read_csv<kpi::call_record>(
        in, "calls.csv", [&](const kpi::call_record &c) { talk += c.talk_s; });
    benchmark::DoNotOptimize(talk);
    rows = r.read;
    records = r.accepted;
  }
  finish(state, text, rows, records);
}
BENCHMARK(BM_CsvReadCalls)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AsteriskQueueLog(benchmark::State &state) {
  const std::string &text = data().queue_log;
  std::uint64_t rows = 0, records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::istringstream in(text);
    state.ResumeTiming();
    double talk = 0;
    const kpi::io::queue_log_result r = kpi::io::read_asterisk_queue_log(
        in, "queue_log", [&](const kpi::call_record &c) { talk += c.talk_s; });
    benchmark::DoNotOptimize(talk);
    rows = r.rows.read;
    records = r.calls;
  }
  finish(state, text, rows, records);
}
BENCHMARK(BM_AsteriskQueueLog)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AsteriskCdrLegs(benchmark::State &state) {
  const std::string &text = data().cdr;
  std::uint64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::istringstream in(text);
    state.ResumeTiming();
    std::int64_t billsec = 0;
    const kpi::io::read_report r = kpi::io::read_asterisk_cdr_legs(
        in, "Master.csv", [&](const kpi::io::cdr_leg &l) { billsec += l.billsec_s; });
    benchmark::DoNotOptimize(billsec);
    rows = r.read;
  }
  finish(state, text, rows, 0);
}
BENCHMARK(BM_AsteriskCdrLegs)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AsteriskCdr(benchmark::State &state) {
  const std::string &text = data().cdr;
  std::uint64_t rows = 0, records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::istringstream in(text);
    state.ResumeTiming();
    double talk = 0;
    const kpi::io::cdr_result r =
        kpi::io::read_asterisk_cdr(in, "Master.csv", [&](const kpi::call_record &c) { talk += c.talk_s; });
    benchmark::DoNotOptimize(talk);
    rows = r.rows.read;
    records = r.calls;
  }
  finish(state, text, rows, records);
}
BENCHMARK(BM_AsteriskCdr)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
