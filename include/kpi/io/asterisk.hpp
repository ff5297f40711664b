/// @file
/// @brief Importers of the files Asterisk really writes: the CDR CSV files (`cdr_csv` Master.csv in its
/// 16-, 17-, 18- and 21-column layouts, and `cdr_custom`'s default 19-column layout) and the queue log
/// (`queue_log`, the pipe-separated file and the database table exported as CSV). Both produce
/// canonical kpi::call_record values (kpis.md, "Canonical records").
///
/// The mapping from Asterisk's data to the call record is written down in docs/importers.md; in short:
///
/// - **CDR**: the rows (legs) of one call share a `linkedid` (21-column layout) or else the caller's
///   `uniqueid` (17, 18 and 19 columns) or else the pair (channel, start) (16 columns); a parallel dial
///   therefore counts once. A call is answered when one of its legs that dialled somebody
///   (`dstchannel` set) has the disposition ANSWERED; the agent is that leg's dialled channel (inbound)
///   or the caller's channel (outbound) without its unique suffix (`SIP/301-0000001a` → `SIP/301`); the
///   talk time is the sum of `billsec` of the answered legs; the wait of an inbound call is the first
///   answer minus the call's start. Timestamps are local time of a zone the caller names.
/// - **queue_log**: one call per queue visit (ENTERQUEUE), rebuilt per `callid` from interleaved lines;
///   wait from CONNECT's hold time (or the exit's wait time), talk from COMPLETEAGENT / COMPLETECALLER /
///   transfer call time; ABANDON and EXITWITHKEY are `abandoned`, EXITWITHTIMEOUT, EXITEMPTY and
///   WITHDRAW are `timeout`; RINGNOANSWER counts a miss of the agent (reported per agent in the result,
///   the call record has no field for it).
///
/// Both readers stream: constant memory per row, plus the calls still open (CDR: calls whose last leg
/// ended less than cdr_options::group_horizon_s before the latest leg read; queue_log: calls entered and
/// not yet ended, see queue_log_options::max_open_age_s). They are strict by default (the first bad row
/// throws kpi::parse_error naming the file, line, column and reason); in lenient mode bad rows are
/// skipped, counted and their first errors kept. Every run reports rows read, accepted and rejected
/// (kpi::io::read_report, as the canonical CSV readers).
///
/// Thread-safety: the functions are reentrant; one call reads one stream on the calling thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/io/csv.hpp"
#include "kpi/records.hpp"
#include "kpi/time.hpp"

namespace kpi::io {

// ---------------------------------------------------------------------------------------------------
// CDR CSV
// ---------------------------------------------------------------------------------------------------

/// The column layout of an Asterisk CDR CSV file (no header row in any of them). Values are pinned.
enum class cdr_layout : std::int32_t {
  detect = 0,    ///< Decide from the first row: 16, 17, 18 or 21 fields are cdr_csv, 19 are cdr_custom.
  csv16 = 1,     ///< cdr_csv default: accountcode … amaflags (16 fields).
  csv17 = 2,     ///< cdr_csv with `loguniqueid=yes`: + uniqueid.
  csv18 = 3,     ///< cdr_csv with `loguniqueid` and `loguserfield`: + uniqueid, userfield.
  csv21 = 4,     ///< cdr_csv with `newcdrcolumns=yes` too: + peeraccount, linkedid, sequence.
  custom19 = 5,  ///< cdr_custom's default mapping: clid, src, dst, dcontext, channel, dstchannel,
                 ///< lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags,
                 ///< accountcode, uniqueid, userfield, sequence.
};

/// "detect", "csv16", "csv17", "csv18", "csv21" or "custom19". Static storage, never null.
const char *to_string(cdr_layout v) noexcept;

/// The inverse of to_string(cdr_layout). @throws kpi::error errc::parse for any other text.
cdr_layout parse_cdr_layout(std::string_view text);

/// The number of fields of a layout (16, 17, 18, 21 or 19; 0 for detect).
std::size_t field_count(cdr_layout v) noexcept;

/// A CDR disposition (`ast_cdr_disp2str`). Values are pinned.
enum class cdr_disposition : std::int32_t {
  answered = 0,    ///< "ANSWERED".
  no_answer = 1,   ///< "NO ANSWER" (also written for a leg that never dialled anything).
  busy = 2,        ///< "BUSY".
  failed = 3,      ///< "FAILED".
  congestion = 4,  ///< "CONGESTION".
};

/// The file's spelling ("ANSWERED", "NO ANSWER", ...). Static storage, never null.
const char *to_string(cdr_disposition v) noexcept;

/// One CDR row (one leg of a call) as written by Asterisk. Fields absent from a layout are empty.
/// Instants are UTC (converted from the file's local time); durations are whole seconds.
struct cdr_leg {
  std::string accountcode;          ///< Account code.
  std::string src;                  ///< Caller ID number.
  std::string dst;                  ///< Destination extension.
  std::string dcontext;             ///< Destination context (decides the direction).
  std::string clid;                 ///< Caller ID as `"Name" <number>`; bytes as found (not UTF-8 checked).
  std::string channel;              ///< The calling channel (party A), e.g. `SIP/211553-0000001c`.
  std::string dstchannel;           ///< The dialled channel (party B); empty when nothing was dialled.
  std::string lastapp;              ///< Last dialplan application (`Dial`, `Hangup`, `Queue`, ...).
  std::string lastdata;             ///< Its arguments.
  timestamp start{};                ///< When the leg started.
  std::optional<timestamp> answer;  ///< When it was answered; absent when the field is empty.
  timestamp end{};                  ///< When it ended.
  std::int64_t duration_s = 0;      ///< end − start, whole seconds, as written.
  std::int64_t billsec_s = 0;       ///< end − answer, whole seconds, as written.
  cdr_disposition disposition = cdr_disposition::no_answer;  ///< How the leg ended.
  std::string amaflags;                                      ///< DOCUMENTATION, BILLING, OMIT.
  std::string uniqueid;                  ///< The calling channel's unique id (17+ fields).
  std::string userfield;                 ///< User field (18+ fields).
  std::string peeraccount;               ///< Peer account (21 fields).
  std::string linkedid;                  ///< Id shared by every channel of one call (21 fields).
  std::optional<std::int64_t> sequence;  ///< Per-record sequence number (21 and custom19 fields).
  std::uint64_t line = 0;                ///< 1-based line of the row in the input.
};

/// Options of the CDR readers.
struct cdr_options {
  cdr_layout layout = cdr_layout::detect;  ///< The file's layout, or detect it from the first row.
  /// The zone of the file's timestamps (`%Y-%m-%d %T` local time of the PBX). UTC when Asterisk runs in
  /// UTC or with `usegmtime=yes`. A local time that occurs twice (clocks set back) is read as the
  /// earlier instant; one that does not exist (clocks set forward) is a bad row.
  time_zone zone;
  read_mode mode = read_mode::strict;     ///< Strict (default) or lenient.
  std::size_t max_errors_kept = 10;       ///< How many errors a lenient read keeps (the first ones).
  std::size_t max_row_bytes = 64 * 1024;  ///< Row length limit (Asterisk itself writes at most 1 KiB).
  /// Destination contexts whose calls are inbound (exact, case-sensitive names), e.g. `from-pstn`.
  std::vector<std::string> inbound_contexts;
  /// Destination contexts whose calls are outbound, e.g. `from-internal`.
  std::vector<std::string> outbound_contexts;
  /// For a context in neither list: inbound when its name contains (case-insensitively) `pstn`,
  /// `trunk`, `did`, `inbound`, `incoming` or `external` (FreePBX's `from-pstn`, `from-trunk`,
  /// `from-did-direct`, `ext-did`), else outbound. Set false to make every unlisted context outbound.
  bool guess_direction = true;
  /// A call is complete once the latest `end` read is more than this many seconds after the call's
  /// last leg ended (Asterisk writes a call's legs when it ends, so they are near each other). Bounds
  /// memory by the calls of the last `group_horizon_s` seconds. Must be > 0.
  double group_horizon_s = 3600;
};

/// What a CDR import did. `rows` counts legs; the other counters count calls.
struct cdr_result {
  read_report rows;                        ///< Legs read, accepted and rejected.
  cdr_layout layout = cdr_layout::detect;  ///< The layout read (declared or detected).
  std::uint64_t calls = 0;                 ///< Call records emitted (= connected + unanswered).
  std::uint64_t inbound = 0;               ///< Of which inbound.
  std::uint64_t outbound = 0;              ///< Of which outbound.
  std::uint64_t connected = 0;             ///< Calls with outcome connected.
  /// Groups of legs none of which dialled anybody (no `dstchannel`: IVR, announcements, feature codes,
  /// calls hung up in the dialplan). They are not calls between an agent and a customer: not emitted.
  std::uint64_t undialled = 0;
  /// Legs on a Local channel's second half (`Local/...;2`) that could not be tied to their call because
  /// the layout has no linkedid; ignored (with a linkedid they are grouped with their call).
  std::uint64_t local_legs_ignored = 0;
  /// Calls whose legs, each valid, make an invalid call record (kpi::check(), e.g. an answered
  /// outbound call with an empty channel). Strict mode throws instead; lenient mode skips them and
  /// keeps their errors in `rows.first_errors`, with the line of the call's first leg.
  std::uint64_t rejected_calls = 0;
  std::size_t max_open_calls = 0;  ///< The largest number of calls held open at once (memory).
};

/// Reads a CDR CSV file leg by leg, without grouping: `on_leg` is called once per valid row, with a
/// leg the reader reuses (copy what you keep). Returns the report; `layout` receives the layout read.
/// @throws kpi::parse_error for a bad row in strict mode, malformed quoting (both modes: the read cannot
///         go on), or a first row whose layout cannot be detected; kpi::error errc::invalid_argument for
///         bad options; errc::io when the stream fails; whatever the callback throws.
read_report read_asterisk_cdr_legs(std::istream &in, std::string_view name,
                                   const std::function<void(const cdr_leg &)> &on_leg,
                                   const cdr_options &options = {}, cdr_layout *layout = nullptr);

/// Reads a CDR CSV file and emits one call record per call (legs grouped as described above).
///
/// Per call: `call_id` = the group key (linkedid, else uniqueid, else `channel@start`); `direction` from
/// the first leg's `dcontext` (see cdr_options); `caller` = `src` (inbound) or `dst` (outbound);
/// `start` = the earliest leg start; `outcome` = connected when a dialling leg was ANSWERED, else
/// inbound: abandoned when some leg rang (NO ANSWER), failed when every leg was BUSY, FAILED or
/// CONGESTION; outbound: busy, no_answer or failed from the best disposition (BUSY > NO ANSWER >
/// FAILED > CONGESTION); `wait_s` (inbound only) = first answer − start, or last end − start when
/// unanswered; `talk_s` = Σ billsec of answered legs whose dialled channel is not a Local channel;
/// team, campaign, queue, hold and after-call work are left empty. Calls are emitted when complete
/// (see cdr_options::group_horizon_s) and at the end of input, in order of start within each batch.
/// The record passed to `on_call` is reused: copy what you keep.
/// @throws as read_asterisk_cdr_legs().
cdr_result read_asterisk_cdr(std::istream &in, std::string_view name,
                             const record_callback<call_record> &on_call, const cdr_options &options = {});

/// The agent id of an Asterisk channel name: the channel without its unique suffix and Local half
/// (`SIP/301-0000001a` → `SIP/301`, `PJSIP/1001-00000a3f` → `PJSIP/1001`,
/// `Local/ch1@TimeDelay-00000000;2` → `Local/ch1@TimeDelay`). Names without a suffix are returned as
/// they are.
std::string_view channel_peer(std::string_view channel) noexcept;

// ---------------------------------------------------------------------------------------------------
// queue_log
// ---------------------------------------------------------------------------------------------------

/// The form of a queue log. Values are pinned.
enum class queue_log_format : std::int32_t {
  detect = 0,  ///< A first line with `event` among comma-separated names is db_csv; else file.
  file = 1,    ///< `/var/log/asterisk/queue_log`: `epoch|callid|queue|agent|EVENT|data1|data2|...`.
  db_csv = 2,  ///< The realtime table exported as CSV with a header: `time`, `callid`, `queuename`,
               ///< `agent`, `event` and `data1`..`data5` or one `data` column holding the pipe string
               ///< (other columns, e.g. `id`, ignored). `time` is local `YYYY-MM-DD HH:MM:SS[.ffffff]`
               ///< (in queue_log_options::zone) or epoch seconds.
};

/// "detect", "file" or "db_csv". Static storage, never null.
const char *to_string(queue_log_format v) noexcept;

/// What happens to a call still open (entered, not ended) when the input ends.
enum class open_call_policy : std::int32_t {
  /// Emit it, ended at the close time (queue_log_options::close_time, else the last event of the
  /// input): a call still waiting becomes `timeout` with the wait so far, a call still talking becomes
  /// `connected` with the talk so far. Counted in queue_log_result::open_closed.
  close = 0,
  drop = 1,  ///< Do not emit it; count it in queue_log_result::open_dropped.
};

/// Options of the queue_log reader.
struct queue_log_options {
  queue_log_format format = queue_log_format::detect;  ///< The input's form.
  time_zone zone;  ///< Zone of the db_csv form's local `time` values (UTC with queue_log_realtime_use_gmt).
  read_mode mode = read_mode::strict;                     ///< Strict (default) or lenient.
  std::size_t max_errors_kept = 10;                       ///< How many errors a lenient read keeps.
  std::size_t max_row_bytes = 64 * 1024;                  ///< Line length limit.
  open_call_policy open_calls = open_call_policy::close;  ///< Calls still open at the end of input.
  std::optional<timestamp> close_time;  ///< When open calls are closed (default: the last event read).
  /// A call with no event for this many seconds is closed as open_calls says (a "ghost" ENTERQUEUE that
  /// never got an exit line) and counted in queue_log_result::stale. Also how long an ended callid is
  /// remembered, so that the same callid entering a queue again (a transfer to another queue) gets a
  /// distinct call_id (`callid#2`). Bounds memory. Must be > 0.
  double max_open_age_s = 86400;
};

/// The misses of one agent: ring-no-answer events (the member rang and did not pick up).
struct queue_agent_misses {
  std::string agent;                 ///< The queue_log agent field (member name or interface).
  std::uint64_t ring_no_answer = 0;  ///< RINGNOANSWER events.
  double ring_s = 0;                 ///< Σ of their ring times, seconds (RINGNOANSWER data1 is ms).
};

/// What a queue_log import did.
struct queue_log_result {
  read_report rows;  ///< Lines read (the db_csv header not counted), accepted and rejected.
  queue_log_format format = queue_log_format::detect;  ///< The form read.
  std::uint64_t calls = 0;                             ///< Call records emitted.
  std::uint64_t enterqueue = 0;                        ///< ENTERQUEUE events (offered calls).
  std::uint64_t connect = 0;                           ///< CONNECT events.
  std::uint64_t completeagent = 0;                     ///< COMPLETEAGENT events (agent hung up).
  std::uint64_t completecaller = 0;                    ///< COMPLETECALLER events (caller hung up).
  std::uint64_t transfer = 0;         ///< TRANSFER, BLINDTRANSFER and ATTENDEDTRANSFER events.
  std::uint64_t abandon = 0;          ///< ABANDON events.
  std::uint64_t exitwithkey = 0;      ///< EXITWITHKEY events.
  std::uint64_t exitwithtimeout = 0;  ///< EXITWITHTIMEOUT events.
  std::uint64_t exitempty = 0;        ///< EXITEMPTY events.
  std::uint64_t withdraw = 0;         ///< WITHDRAW events.
  std::uint64_t open_closed = 0;      ///< Calls open at the end (or stale) that were emitted, ended early.
  std::uint64_t open_dropped = 0;     ///< Calls open at the end (or stale) that were not emitted.
  std::uint64_t stale = 0;            ///< Of the two above, calls closed for having no event for too long.
  std::uint64_t reentered = 0;        ///< ENTERQUEUE of a callid seen before (emitted as `callid#n`).
  /// Call events (CONNECT, COMPLETE*, transfers, exits) of a callid with no open call: the file began
  /// during the call, or a duplicate exit. Ignored.
  std::uint64_t orphan_events = 0;
  /// Events that are not about a queue call's life (QUEUESTART, ADDMEMBER, PAUSE, RINGCANCELED, DID,
  /// custom events...). Ignored, except RINGNOANSWER which is counted per agent.
  std::uint64_t other_events = 0;
  std::vector<queue_agent_misses> agents;  ///< Misses per agent, sorted by agent, agents with a miss only.
  std::size_t max_open_calls = 0;          ///< The largest number of calls open at once (memory).
};

/// Reads an Asterisk queue log and emits one inbound call record per queue visit.
///
/// Per call: `call_id` = callid (`callid#n` for the n-th visit of one callid); `queue_id` = queue name;
/// `caller` = ENTERQUEUE data2 (caller id); `start` = ENTERQUEUE time; then by the event that ends it:
/// - CONNECT then COMPLETEAGENT / COMPLETECALLER / TRANSFER / BLINDTRANSFER / ATTENDEDTRANSFER:
///   `connected`, `agent_id` = the agent field, `wait_s` = CONNECT data1 (hold time), `talk_s` = the
///   call time (COMPLETE* data2; transfers: the field before origposition).
/// - ABANDON (data3) and EXITWITHKEY (data4): `abandoned`, `wait_s` = their wait time.
/// - EXITWITHTIMEOUT (data3), EXITEMPTY (data3), WITHDRAW (data3): `timeout`, `wait_s` = their wait.
/// A missing duration field (older Asterisk versions) is taken from the timestamps instead; a present
/// one that is not a whole number is a bad row. `hold_s` and `acw_s` are left empty (queue_log records
/// neither: the call time includes hold).
/// The record passed to `on_call` is reused: copy what you keep. Input must be in the order Asterisk
/// wrote it (events of one call in order; calls interleave freely).
/// @throws kpi::parse_error for a bad row in strict mode or a bad db_csv header; kpi::error
///         errc::invalid_argument for bad options; errc::io when the stream fails; whatever the
///         callback throws.
queue_log_result read_asterisk_queue_log(std::istream &in, std::string_view name,
                                         const record_callback<call_record> &on_call,
                                         const queue_log_options &options = {});

}  // namespace kpi::io
