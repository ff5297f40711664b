/// @file
/// @brief Importer of FreeSWITCH `mod_cdr_csv` files: the default `example` template (or a declared
/// column list), one row per call (`legs=a`, the default), producing canonical kpi::call_record values.
///
/// Mapping (docs/importers.md, "FreeSWITCH"): `call_id` = uuid; direction from the context (`public`,
/// where FreeSWITCH's default dialplan puts calls from outside, is inbound; every other context is
/// outbound, unless listed); a call is answered when `answer_stamp` is set or `billsec` > 0, and
/// connected when it was also bridged (`bleg_uuid` set; answered calls that were never bridged reached an
/// IVR, voicemail or a feature code and are not emitted, see freeswitch_result::unbridged); an
/// unanswered call's outcome comes from its Q.850 hangup cause; talk = billsec; wait (inbound) = answer −
/// start. Timestamps are local time of a zone the caller names, or epoch seconds.
///
/// Streams in constant memory (one row at a time, no grouping); strict by default, lenient on request,
/// as the other importers (kpi/io/asterisk.hpp). Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/io/csv.hpp"
#include "kpi/records.hpp"
#include "kpi/time.hpp"

namespace kpi::io {

/// The columns of mod_cdr_csv's default `example` template, in order: caller_id_name,
/// caller_id_number, destination_number, context, start_stamp, answer_stamp, end_stamp, duration, billsec,
/// hangup_cause, uuid, bleg_uuid, accountcode, read_codec, write_codec. Static storage.
const std::vector<std::string> &freeswitch_example_columns();

/// Options of the FreeSWITCH reader.
struct freeswitch_options {
  /// The template's variables in order (`${caller_id_number}` → "caller_id_number"); empty means the
  /// `example` template. Used: caller_id_number, destination_number, context, start_stamp, answer_stamp,
  /// end_stamp, billsec, hangup_cause, uuid (required), and bleg_uuid, cc_agent (the mod_callcenter
  /// agent, preferred as agent of an inbound call), cc_queue (queue_id) when present. Others are ignored.
  std::vector<std::string> columns;
  time_zone zone;                         ///< Zone of the `*_stamp` local times (UTC by default).
  read_mode mode = read_mode::strict;     ///< Strict (default) or lenient.
  std::size_t max_errors_kept = 10;       ///< How many errors a lenient read keeps.
  std::size_t max_row_bytes = 64 * 1024;  ///< Row length limit.
  std::vector<std::string> inbound_contexts = {"public"};  ///< Contexts of calls from outside.
};

/// What a FreeSWITCH import did.
struct freeswitch_result {
  read_report rows;             ///< Rows read, accepted (parsed) and rejected.
  std::uint64_t calls = 0;      ///< Call records emitted.
  std::uint64_t inbound = 0;    ///< Of which inbound.
  std::uint64_t outbound = 0;   ///< Of which outbound.
  std::uint64_t connected = 0;  ///< Of which connected.
  std::uint64_t unbridged = 0;  ///< Answered rows never bridged (IVR, voicemail, feature codes): not emitted.
};

/// Reads a mod_cdr_csv file (no header row) and emits one call record per row.
///
/// - `direction`: inbound when `context` is in freeswitch_options::inbound_contexts, else outbound.
/// - `outcome`: connected when answered and bridged. Unanswered, by hangup cause: USER_BUSY and
///   CALL_REJECTED are busy; NO_ANSWER, NO_USER_RESPONSE, ORIGINATOR_CANCEL, NORMAL_CLEARING,
///   ALLOTTED_TIMEOUT, PICKED_OFF and LOSE_RACE rang out (outbound no_answer, inbound abandoned); any
///   other cause failed.
/// - `agent_id`: inbound `cc_agent` if present, else `destination_number` (the extension reached),
///   empty when unanswered; outbound `caller_id_number` (the agent's extension).
/// - `caller`: inbound `caller_id_number`, outbound `destination_number`.
/// - `wait_s` (inbound): answer − start, or end − start when unanswered. `talk_s` = billsec when
///   connected.
/// The record passed to `on_call` is reused: copy what you keep.
/// @throws kpi::parse_error for a bad row in strict mode or malformed quoting; kpi::error
///         errc::invalid_argument for a column list without uuid or start_stamp; errc::io when the
///         stream fails; whatever the callback throws.
freeswitch_result read_freeswitch_cdr(std::istream &in, std::string_view name,
                                      const record_callback<call_record> &on_call,
                                      const freeswitch_options &options = {});

}  // namespace kpi::io
