// The RFC 4180 tokenizer. Hand-written (see kpi/io/csv.hpp): Debian packages no maintained C++ CSV
// library that reports the starting line of rows whose quoted fields span lines, and the ingest path
// needs a tokenizer that reuses its buffers instead of allocating per row.
#include <array>
#include <cstring>

#include "kpi/io/csv.hpp"

namespace kpi::io {

namespace {
constexpr std::size_t k_read_chunk = 64 * 1024;

// Bytes that end an unquoted run: ',', '\n', '\r', '"'.
constexpr std::array<bool, 256> make_special() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  t[static_cast<unsigned char>('"')] = true;
  return t;
}
constexpr auto k_special = make_special();
}  // namespace

csv_reader::csv_reader(std::istream &in, std::string name, std::size_t max_row_bytes)
    : in_(&in), name_(std::move(name)), max_row_(max_row_bytes), buf_(k_read_chunk) {}

bool csv_reader::fill() {
  if (eof_) return false;
  in_->read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  if (in_->bad()) throw error(errc::io, "cannot read " + name_ + ": the stream failed");
  pos_ = 0;
  len_ = static_cast<std::size_t>(in_->gcount());
  if (len_ == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

bool csv_reader::next() {
  row_.clear();
  ends_.clear();
  if (!started_) {
    started_ = true;
    if (fill() && len_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // UTF-8 BOM
  }
  // Skip empty lines (CR, LF or CRLF with nothing before them).
  for (;;) {
    if (pos_ >= len_ && !fill()) return false;
    const char c = buf_[pos_];
    if (c == '\n') {
      ++pos_;
      ++line_;
    } else if (c == '\r') {
      ++pos_;
      ++line_;
      if ((pos_ < len_ || fill()) && buf_[pos_] == '\n') ++pos_;
    } else {
      break;
    }
  }
  row_line_ = line_;
  auto too_long = [&]() {
    return parse_error(name_, row_line_, "",
                       "row longer than " + std::to_string(max_row_) + " bytes (an unbalanced quote?)");
  };
  for (;;) {  // one field per iteration
    enum { comma, end_of_row } term = end_of_row;
    if ((pos_ < len_ || fill()) && buf_[pos_] == '"') {
      ++pos_;
      const std::uint64_t quote_line = line_;
      for (;;) {
        if (pos_ >= len_ && !fill()) {
          throw parse_error(name_, row_line_, "",
                            "quoted field opened on line " + std::to_string(quote_line) + " is never closed");
        }
        const char *b = buf_.data() + pos_;
        const char *e = buf_.data() + len_;
        const char *q = static_cast<const char *>(std::memchr(b, '"', static_cast<std::size_t>(e - b)));
        const char *stop = q != nullptr ? q : e;
        for (const char *p = b; p != stop; ++p) line_ += (*p == '\n');
        row_.append(b, stop);
        pos_ = static_cast<std::size_t>(stop - buf_.data());
        if (row_.size() > max_row_) throw too_long();
        if (q == nullptr) continue;
        ++pos_;                                              // the quote
        if ((pos_ < len_ || fill()) && buf_[pos_] == '"') {  // a doubled quote is one quote
          row_.push_back('"');
          ++pos_;
          continue;
        }
        break;  // the closing quote
      }
      // After a closing quote: a comma, a line break or the end of input.
      if (pos_ >= len_ && !fill()) {
        term = end_of_row;
      } else if (buf_[pos_] == ',') {
        ++pos_;
        term = comma;
      } else if (buf_[pos_] == '\n') {
        ++pos_;
        ++line_;
      } else if (buf_[pos_] == '\r') {
        ++pos_;
        ++line_;
        if ((pos_ < len_ || fill()) && buf_[pos_] == '\n') ++pos_;
      } else {
        throw parse_error(name_, row_line_, "",
                          "unexpected character '" + std::string(1, buf_[pos_]) +
                              "' after a closing quote (a quote inside a quoted field is written \"\")");
      }
    } else {
      for (;;) {
        if (pos_ >= len_ && !fill()) {
          term = end_of_row;
          break;
        }
        const char *b = buf_.data() + pos_;
        const char *e = buf_.data() + len_;
        const char *p = b;
        while (p != e && !k_special[static_cast<unsigned char>(*p)]) ++p;
        row_.append(b, p);
        pos_ = static_cast<std::size_t>(p - buf_.data());
        if (row_.size() > max_row_) throw too_long();
        if (p == e) continue;
        const char c = *p;
        ++pos_;
        if (c == ',') {
          term = comma;
        } else if (c == '\n') {
          ++line_;
        } else if (c == '\r') {
          ++line_;
          if ((pos_ < len_ || fill()) && buf_[pos_] == '\n') ++pos_;
        } else {
          throw parse_error(name_, row_line_, "",
                            "a quote inside an unquoted field (quote the whole field and double the quote: "
                            "\"a \"\"b\"\" c\")");
        }
        break;
      }
    }
    ends_.push_back(row_.size());
    if (term == end_of_row) return true;
  }
}

void append_csv_field(std::string &out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace kpi::io
