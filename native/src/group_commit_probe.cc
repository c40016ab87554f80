// Whether io_uring works in this process, probed once: a real ring, the opcodes group commit
// needs, and one NOP round trip (seccomp filters may allow io_uring_setup but not io_uring_enter).
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include <fstream>
#include <mutex>
#include <string>

#include "group_commit_pipeline.h"

namespace trident {
namespace {

std::string first_line_of(const char* path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  return line;
}

std::string seccomp_mode() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Seccomp:", 0) == 0) {
      size_t value = line.find_first_not_of(" \t", 8);
      return value == std::string::npos ? "" : line.substr(value);
    }
  }
  return "";
}

// What the sysctl and seccomp state say about a setup failure.
std::string explain_setup_failure() {
  std::string explanation;
  std::string disabled = first_line_of("/proc/sys/kernel/io_uring_disabled");
  if (disabled == "2") {
    explanation = "kernel.io_uring_disabled=2: io_uring is off for every process; run "
                  "'sysctl kernel.io_uring_disabled=0'";
  } else if (disabled == "1") {
    explanation = "kernel.io_uring_disabled=1: only members of kernel.io_uring_group may use "
                  "io_uring; add this user to that group or set the sysctl to 0";
  }
  if (seccomp_mode() == "2") {
    if (!explanation.empty()) explanation += "; ";
    explanation += "a seccomp filter is active (containers often block io_uring_setup: allow "
                   "io_uring_setup/io_uring_enter in the seccomp profile)";
  }
  return explanation;
}

std::string probe_io_uring() {
  const char* setting = getenv("TRIDENT_IO_URING");
  if (setting != nullptr && (strcmp(setting, "off") == 0 || strcmp(setting, "0") == 0)) {
    return std::string("disabled by the environment (TRIDENT_IO_URING=") + setting + ")";
  }
  io_uring ring;
  int rc = io_uring_queue_init(4, &ring, 0);
  if (rc < 0) {
    std::string cause = io_error_text("io_uring", "io_uring_setup", -rc);
    std::string explanation = explain_setup_failure();
    if (explanation.empty() && rc == -ENOSYS) explanation = "kernel without io_uring (needs 5.6+)";
    if (explanation.empty() && rc == -ENOMEM) explanation = "raise RLIMIT_MEMLOCK (ulimit -l)";
    return explanation.empty() ? cause : cause + " (" + explanation + ")";
  }
  std::string cause;
  io_uring_probe* probe = io_uring_get_probe_ring(&ring);
  if (probe == nullptr) {
    cause = "io_uring: opcode probe failed (kernel older than 5.6)";
  } else {
    for (int op : {IORING_OP_NOP, IORING_OP_WRITEV, IORING_OP_FSYNC}) {
      if (!io_uring_opcode_supported(probe, op)) {
        cause = "io_uring: kernel lacks opcode " + std::to_string(op) + " (needs 5.6+)";
      }
    }
    io_uring_free_probe(probe);
  }
  if (cause.empty()) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    io_uring_prep_nop(sqe);
    io_uring_cqe* cqe = nullptr;
    rc = io_uring_submit_and_wait(&ring, 1);
    if (rc >= 0) rc = io_uring_wait_cqe(&ring, &cqe);
    if (rc < 0) {
      cause = io_error_text("io_uring", "io_uring_enter", -rc);
      std::string explanation = explain_setup_failure();
      if (!explanation.empty()) cause += " (" + explanation + ")";
    } else if (cqe->res < 0) {
      cause = io_error_text("io_uring", "NOP", -cqe->res);
    }
    if (cqe != nullptr) io_uring_cqe_seen(&ring, cqe);
  }
  io_uring_queue_exit(&ring);
  return cause;
}

const std::string& unavailability_cause() {
  static std::once_flag once;
  static std::string cause;
  std::call_once(once, [] { cause = probe_io_uring(); });
  return cause;
}

}  // namespace

bool io_uring_available() { return unavailability_cause().empty(); }

const char* io_uring_unavailability_cause() { return unavailability_cause().c_str(); }

}  // namespace trident
