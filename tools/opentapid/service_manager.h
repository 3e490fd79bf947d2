// opentapid under systemd, without libsystemd: the readiness protocol
// (sd_notify(3): READY=1, RELOADING=1, STOPPING=1 on $NOTIFY_SOCKET) and the
// journal's stderr (sd-daemon(3): "<N>" priority prefixes, recognised when
// $JOURNAL_STREAM names the file standard error is). Both are a few lines of
// documented protocol; linking libsystemd for them would add a dependency to
// every installation, including the many that never run under systemd.
#ifndef OPENTAPI_TOOLS_OPENTAPID_SERVICE_MANAGER_H_
#define OPENTAPI_TOOLS_OPENTAPID_SERVICE_MANAGER_H_

#include <spdlog/common.h>

#include <string>
#include <string_view>

namespace opentapi::daemon {

// Sends `state` ("READY=1", "STATUS=...", several separated by \n) to the
// service manager. Returns "" when it was sent or there is no manager
// ($NOTIFY_SOCKET unset), else what went wrong. Never throws.
std::string notify(std::string_view state);

// Whether standard error is the journal: $JOURNAL_STREAM is "DEVICE:INODE"
// of that very file (a child that inherited the variable but writes to a
// file or a pipe is not).
bool stderr_is_journal();

// The syslog priority of a level: 7 debug/trace, 6 info, 4 warn, 3 error,
// 2 critical (sd-daemon(3)'s SD_DEBUG … SD_CRIT).
int syslog_priority(spdlog::level::level_enum level);

// opentapid's log line pattern: with a timestamp for a terminal or a file,
// without one for the journal (which has its own), with "<N>" there so the
// journal records each line's priority. Uses the custom flag '*'; see
// install_log_pattern.
std::string log_pattern(bool journal);

// Sets `pattern` (from log_pattern) as the default logger's pattern, with
// '*' bound to the "<N>" prefix.
void install_log_pattern(const std::string& pattern);

}  // namespace opentapi::daemon

#endif  // OPENTAPI_TOOLS_OPENTAPID_SERVICE_MANAGER_H_
