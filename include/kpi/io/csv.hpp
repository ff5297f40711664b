/// @file
/// @brief Streaming readers and writers of the canonical CSV files (kpis.md, "Canonical records").
///
/// Two layers:
/// - kpi::io::csv_reader: an RFC 4180 tokenizer over a std::istream, one row at a time in constant
///   memory, with the 1-based line on which each row starts. It is hand-written rather than taken from a
///   library because no C++ CSV library packaged in Debian is both maintained and able to report the
///   line of a row whose quoted fields span lines, and because the ingest path must not allocate per row.
/// - read_csv<Record>(): the typed readers of the seven families. The header is matched by name in any
///   order (unknown columns are ignored), optional columns may be absent or empty, every value is parsed
///   and the record validated (kpi::check). A bad row is an error naming the file, line, column and
///   reason (kpi::parse_error); in lenient mode it is skipped, counted and its error kept (the first few).
///   Every run reports records read, accepted and rejected: nothing is dropped silently.
///
/// Thread-safety: a reader object is used by one thread at a time; independent readers are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/error.hpp"
#include "kpi/money.hpp"
#include "kpi/records.hpp"

namespace kpi::io {

/// An RFC 4180 tokenizer: comma-separated fields, fields optionally enclosed in double quotes, a quote
/// inside a quoted field doubled (`""`), commas and line breaks allowed inside quotes, rows ended by
/// CRLF or LF (the last row may lack one). A UTF-8 byte-order mark at the start is skipped. Empty lines
/// (no characters at all) are skipped, not read as rows of one empty field.
///
/// Memory: one row at a time in buffers reused from row to row, plus a fixed read buffer; a row longer
/// than max_row_bytes() is an error (it usually means an unbalanced quote), which bounds memory.
///
/// Errors (kpi::parse_error, with the stream name and the line where the row starts): a quote inside an
/// unquoted field, text after a closing quote, an unterminated quoted field at end of input, a row
/// longer than the limit. After such an error the reader cannot continue.
///
/// Not thread-safe; the stream must outlive the reader.
class csv_reader {
 public:
  /// Default row limit: 1 MiB.
  static constexpr std::size_t default_max_row_bytes = std::size_t{1} << 20;

  /// Reads from `in`, naming it `name` in errors ("calls.csv").
  csv_reader(std::istream &in, std::string name, std::size_t max_row_bytes = default_max_row_bytes);

  /// Reads the next row. Returns false at end of input (and then leaves no row).
  /// @throws kpi::parse_error for malformed quoting or an over-long row; kpi::error errc::io when the
  ///         stream fails.
  bool next();

  /// Number of fields of the current row.
  [[nodiscard]] std::size_t size() const noexcept { return ends_.size(); }

  /// Field `i` (0-based) of the current row, unquoted. Valid until the next call to next().
  [[nodiscard]] std::string_view field(std::size_t i) const noexcept {
    const std::size_t b = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(row_).substr(b, ends_[i] - b);
  }

  /// The 1-based line on which the current row starts (the header is usually line 1).
  [[nodiscard]] std::uint64_t line() const noexcept { return row_line_; }

  /// The stream's display name.
  [[nodiscard]] const std::string &name() const noexcept { return name_; }

  /// The row length limit in bytes.
  [[nodiscard]] std::size_t max_row_bytes() const noexcept { return max_row_; }

 private:
  bool fill();
  std::istream *in_;
  std::string name_;
  std::size_t max_row_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, len_ = 0;
  bool eof_ = false, started_ = false;
  std::uint64_t line_ = 1, row_line_ = 0;
  std::string row_;                // the fields' bytes, concatenated
  std::vector<std::size_t> ends_;  // end offset in row_ of each field
};

/// How a typed reader treats a bad row.
enum class read_mode : std::int32_t {
  strict = 0,   ///< Throw kpi::parse_error at the first bad row (default).
  lenient = 1,  ///< Skip bad rows, count them and keep the first few errors in the report.
};

/// Options of the typed readers.
struct read_options {
  read_mode mode = read_mode::strict;  ///< Strict (default) or lenient.
  /// Currency of rows whose `currency` column is absent or empty. Without it such a row is an error.
  std::optional<currency> default_currency;
  std::size_t max_errors_kept = 10;  ///< How many errors a lenient report keeps (the first ones).
  std::size_t max_row_bytes = csv_reader::default_max_row_bytes;  ///< Row length limit.
};

/// What a read did. `read == accepted + rejected`; in strict mode `rejected` is 0 (the first bad row
/// throws instead).
struct read_report {
  std::uint64_t read = 0;                      ///< Data rows read (the header is not counted).
  std::uint64_t accepted = 0;                  ///< Rows parsed, validated and passed to the callback.
  std::uint64_t rejected = 0;                  ///< Rows skipped as bad (lenient mode only).
  std::vector<kpi::parse_error> first_errors;  ///< The first rejected rows' errors (at most
                                               ///< read_options::max_errors_kept).
};

/// Called once per accepted record. The reference is to a record the reader reuses for the next row:
/// copy what you keep. An exception thrown by the callback stops the read and propagates unchanged.
template <class Record>
using record_callback = std::function<void(const Record &)>;

/// Reads the canonical CSV of `Record`'s family from `in` (named `name` in errors), calling `on_record`
/// for each valid row. Defined for call_record, order_record, lead_record, opportunity_record,
/// customer_record, spend_record and target_record.
///
/// Header: columns matched by exact name in any order; unknown columns ignored; a duplicated column or
/// a missing required column is an error naming the column (in both modes: no row can be read).
/// Rows: a field-count different from the header's, a value that does not parse (number, decimal
/// amount, timestamp, enum, currency, period label), an empty required value, or a record that fails
/// kpi::check() is a bad row, reported with its line and column.
///
/// Constant memory: one row and one record at a time. Cost per row: the tokenizer plus allocation-free
/// conversions (string fields reuse their capacity).
/// @throws kpi::parse_error for a bad header, a bad row in strict mode, or malformed quoting (which ends
///         the read in both modes); kpi::error errc::io when the stream fails; whatever the callback
///         throws.
template <class Record>
read_report read_csv(std::istream &in, std::string_view name, const record_callback<Record> &on_record,
                     const read_options &options = {});

/// The canonical header row of `Record`'s family, all columns, with a line break: e.g. for calls
/// `call_id,agent_id,team_id,...,outcome\n`.
template <class Record>
void write_csv_header(std::ostream &out);

/// One row in canonical form, in the column order of write_csv_header(): fields quoted when they
/// contain a comma, quote, CR or LF; timestamps as ISO 8601 UTC (format_timestamp); amounts as exact
/// decimals (format_money) with the currency code; durations and fractions in the shortest decimal that
/// reads back as the same double; absent optionals empty. read_csv() reads it back to an equal record.
template <class Record>
void write_csv_row(std::ostream &out, const Record &r);

/// The column names of `Record`'s family in canonical order, and whether each is required.
struct column_info {
  std::string_view name;  ///< The CSV column name.
  bool required;          ///< True when the column must be present in the header.
};

/// The columns of `Record`'s family (static storage).
template <class Record>
const std::vector<column_info> &columns();

/// Appends `text` to `out` as one CSV field, quoted (with quotes doubled) when it contains a comma, a
/// quote, CR or LF.
void append_csv_field(std::string &out, std::string_view text);

}  // namespace kpi::io
