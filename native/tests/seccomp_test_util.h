// Fault injection for C++ tests: a seccomp filter that makes chosen system calls fail in this
// process. Irreversible, so tests install it in a fresh process (gtest death tests).
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>

#include <cerrno>
#include <cstddef>

namespace trident {

// Installs `filter` (`count` BPF instructions) for the rest of this process's life; false when
// the kernel refused it.
inline bool install_seccomp_filter(sock_filter* filter, unsigned short count) {
  sock_fprog program{count, filter};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

// Makes `syscall_number` fail with EPERM in this process from now on (what Docker's default
// profile does to io_uring_setup). Returns false when the filter could not be installed.
inline bool deny_syscall_with_eperm(int syscall_number) {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<__u32>(syscall_number), 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  return install_seccomp_filter(filter, sizeof filter / sizeof filter[0]);
}

}  // namespace trident
