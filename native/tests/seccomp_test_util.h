// Fault injection for C++ tests: a seccomp filter that makes chosen system calls fail in this
// process. Irreversible, so tests install it in a fresh process (gtest death tests).
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

namespace trident {

// Installs `filter` (`count` BPF instructions) for the rest of this process's life; false when
// the kernel refused it.
inline bool install_seccomp_filter(sock_filter* filter, unsigned short count) {
  sock_fprog program{count, filter};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

}  // namespace trident
