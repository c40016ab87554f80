// powerloss_fs: a LazyFS-like FUSE file system for Trident's power-loss tests (test code; built
// and mounted by io.trident.raftlog.FusePowerLossFileSystem, see raft-log/POWER_LOSS_TESTING.md).
//
// Contract: every write (write(2), or a store through a shared mmap once the kernel writes the
// page back) reaches only this process's memory: an overlay of 4 KiB pages per file. fsync(2) or
// fdatasync(2) of a file (and the writeback it forces) writes that file's overlay to the backing
// directory, which is the durable state. A power cut is this process dying:
//   - SIGKILL: every write since its file's last sync is lost;
//   - SIGUSR1: a seeded random subset of those unsynced pages is written first (torn writes:
//     pages reach the disk in any order), then the process exits; the seed and the per-page keep
//     probability are read at the signal from the file named by $POWERLOSS_CONTROL ("SEED P").
// The mount must then be detached (umount -l) so the kernel's page cache of it goes too.
// Not modelled: directory operations (create, rename, unlink are durable at once); file size
// changes are unsynced writes like any other (a file never synced has size 0 after a cut).
//
// Thread rules: libfuse's worker threads; one mutex guards all state.
#define FUSE_USE_VERSION 31
#include <fuse3/fuse.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <map>
#include <mutex>
#include <string>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <signal.h>
#include <thread>

namespace {
constexpr off_t kPage = 4096;
std::string g_backing;
std::mutex g_mutex;

struct Overlay {
  off_t size = -1;           // logical size; -1: the backing file's
  off_t valid_backing = -1;  // backing bytes at >= this read as zeros (a truncate); -1: all valid
  std::map<off_t, std::vector<char>> pages;
};
std::map<std::string, Overlay> g_overlays;

std::string backing(const char* path) { return g_backing + path; }

off_t backing_size(const std::string& b) {
  struct stat st;
  return lstat(b.c_str(), &st) == 0 ? st.st_size : 0;
}

off_t logical_size(const char* path) {
  auto it = g_overlays.find(path);
  if (it != g_overlays.end() && it->second.size >= 0) return it->second.size;
  return backing_size(backing(path));
}

// Reads one page as it is now (overlay or backing, zeros past valid data).
std::vector<char> page_now(const char* path, int fd, off_t page) {
  std::vector<char> buf(kPage, 0);
  auto it = g_overlays.find(path);
  if (it != g_overlays.end()) {
    auto p = it->second.pages.find(page);
    if (p != it->second.pages.end()) return p->second;
  }
  ssize_t n = pread(fd, buf.data(), kPage, page);
  if (n < 0) n = 0;
  if (it != g_overlays.end() && it->second.valid_backing >= 0) {
    for (off_t i = 0; i < kPage; i++)
      if (page + i >= it->second.valid_backing) buf[i] = 0;
  }
  return buf;
}

int fs_getattr(const char* path, struct stat* st, fuse_file_info*) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (lstat(backing(path).c_str(), st) != 0) return -errno;
  if (S_ISREG(st->st_mode)) {
    st->st_size = logical_size(path);
    st->st_blocks = (st->st_size + 511) / 512;
  }
  return 0;
}

int fs_readdir(const char* path, void* buf, fuse_fill_dir_t fill, off_t, fuse_file_info*, fuse_readdir_flags) {
  DIR* dir = opendir(backing(path).c_str());
  if (!dir) return -errno;
  while (dirent* e = readdir(dir)) fill(buf, e->d_name, nullptr, 0, (fuse_fill_dir_flags)0);
  closedir(dir);
  return 0;
}

int fs_open(const char* path, fuse_file_info* fi) {
  int fd = open(backing(path).c_str(), O_RDWR);
  if (fd < 0) fd = open(backing(path).c_str(), O_RDONLY);
  if (fd < 0) return -errno;
  fi->fh = fd;
  if (fi->flags & O_TRUNC) {
    std::lock_guard<std::mutex> lock(g_mutex);
    Overlay& o = g_overlays[path];
    o.size = 0; o.valid_backing = 0; o.pages.clear();
  }
  return 0;
}

int fs_create(const char* path, mode_t mode, fuse_file_info* fi) {
  int fd = open(backing(path).c_str(), O_RDWR | O_CREAT, mode);
  if (fd < 0) return -errno;
  fi->fh = fd;
  return 0;
}

int fs_read(const char* path, char* out, size_t size, off_t offset, fuse_file_info* fi) {
  std::lock_guard<std::mutex> lock(g_mutex);
  off_t end = std::min<off_t>(offset + size, logical_size(path));
  size_t done = 0;
  for (off_t pos = offset; pos < end;) {
    off_t page = pos & ~(kPage - 1);
    std::vector<char> p = page_now(path, fi->fh, page);
    size_t n = std::min<off_t>(end - pos, page + kPage - pos);
    memcpy(out + done, p.data() + (pos - page), n);
    done += n; pos += n;
  }
  return done;
}

int fs_write(const char* path, const char* in, size_t size, off_t offset, fuse_file_info* fi) {
  std::lock_guard<std::mutex> lock(g_mutex);
  off_t size_before = logical_size(path);
  Overlay& o = g_overlays[path];
  for (off_t pos = offset; pos < offset + (off_t)size;) {
    off_t page = pos & ~(kPage - 1);
    if (!o.pages.count(page)) o.pages[page] = page_now(path, fi->fh, page);
    size_t n = std::min<off_t>(offset + size - pos, page + kPage - pos);
    memcpy(o.pages[page].data() + (pos - page), in + (pos - offset), n);
    pos += n;
  }
  o.size = std::max<off_t>(size_before, offset + size);
  return size;
}

int truncate_locked(const char* path, off_t length, int fd) {
  off_t size_before = logical_size(path);
  Overlay& o = g_overlays[path];
  if (length < size_before) {
    for (auto it = o.pages.lower_bound(length & ~(kPage - 1)); it != o.pages.end();) {
      if (it->first >= length) { it = o.pages.erase(it); continue; }
      memset(it->second.data() + (length - it->first), 0, kPage - (length - it->first));
      ++it;
    }
    if (o.valid_backing < 0 || length < o.valid_backing) o.valid_backing = length;
  }
  (void)fd;
  o.size = length;
  return 0;
}

int fs_truncate(const char* path, off_t length, fuse_file_info* fi) {
  std::lock_guard<std::mutex> lock(g_mutex);
  return truncate_locked(path, length, fi ? (int)fi->fh : -1);
}

int fs_fallocate(const char* path, int mode, off_t offset, off_t length, fuse_file_info* fi) {
  if (mode != 0) return -EOPNOTSUPP;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (offset + length > logical_size(path)) truncate_locked(path, offset + length, fi->fh);
  return 0;
}

// The one durable step: the overlay reaches the backing file.
int fs_fsync(const char* path, int, fuse_file_info* fi) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_overlays.find(path);
  if (it == g_overlays.end()) return 0;
  Overlay& o = it->second;
  int fd = fi->fh;
  if (o.valid_backing >= 0 && ftruncate(fd, o.valid_backing) != 0) return -errno;
  for (auto& [page, bytes] : o.pages) {
    off_t n = std::min<off_t>(kPage, o.size - page);
    if (n > 0 && pwrite(fd, bytes.data(), n, page) != n) return -EIO;
  }
  if (o.size >= 0 && ftruncate(fd, o.size) != 0) return -errno;
  g_overlays.erase(it);
  return 0;
}

// The power cut with torn writes: each unsynced page reaches the backing file with probability
// `keep`, chosen by a generator seeded with `seed`; then the process ends without unmounting.
[[noreturn]] void crash_keeping_random_pages(uint64_t seed, double keep) {
  std::lock_guard<std::mutex> lock(g_mutex);  // never released: no request runs after this
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  long kept = 0;
  for (auto& [path, overlay] : g_overlays) {
    int fd = open(backing(path.c_str()).c_str(), O_WRONLY);
    if (fd < 0) continue;
    for (auto& [page, bytes] : overlay.pages) {
      if (coin(random) >= keep) continue;
      off_t n = overlay.size < 0 ? kPage : std::min<off_t>(kPage, overlay.size - page);
      if (n > 0 && pwrite(fd, bytes.data(), n, page) == n) kept++;
    }
    close(fd);
  }
  fprintf(stderr, "powerloss_fs: crash, kept %ld unsynced pages (seed %llu, probability %g)\n", kept,
          (unsigned long long)seed, keep);
  _exit(0);
}

void await_crash_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  int signal_number = 0;
  if (sigwait(&set, &signal_number) != 0) return;
  unsigned long long seed = 0;
  double keep = 0.0;
  const char* control = getenv("POWERLOSS_CONTROL");
  if (FILE* file = control ? fopen(control, "r") : nullptr) {
    if (fscanf(file, "%llu %lf", &seed, &keep) != 2) keep = 0.0;
    fclose(file);
  }
  crash_keeping_random_pages(seed, keep);
}

int fs_flush(const char*, fuse_file_info*) { return 0; }
int fs_release(const char*, fuse_file_info* fi) { close(fi->fh); return 0; }
int fs_unlink(const char* path) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (unlink(backing(path).c_str()) != 0) return -errno;
  g_overlays.erase(path);
  return 0;
}
int fs_rename(const char* from, const char* to, unsigned int flags) {
  if (flags) return -EINVAL;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (rename(backing(from).c_str(), backing(to).c_str()) != 0) return -errno;
  auto it = g_overlays.find(from);
  g_overlays.erase(to);
  if (it != g_overlays.end()) { g_overlays[to] = std::move(it->second); g_overlays.erase(it); }
  return 0;
}
int fs_mkdir(const char* path, mode_t mode) { return mkdir(backing(path).c_str(), mode) == 0 ? 0 : -errno; }
int fs_rmdir(const char* path) { return rmdir(backing(path).c_str()) == 0 ? 0 : -errno; }
int fs_fsyncdir(const char*, int, fuse_file_info*) { return 0; }
int fs_utimens(const char*, const timespec*, fuse_file_info*) { return 0; }
int fs_chmod(const char* path, mode_t mode, fuse_file_info*) { return chmod(backing(path).c_str(), mode) == 0 ? 0 : -errno; }
int fs_statfs(const char*, struct statvfs* st) { return statvfs(g_backing.c_str(), st) == 0 ? 0 : -errno; }
int fs_access(const char* path, int mask) { return access(backing(path).c_str(), mask) == 0 ? 0 : -errno; }
}  // namespace

int main(int argc, char* argv[]) {
  if (argc < 3) { fprintf(stderr, "usage: %s BACKING_DIR MOUNTPOINT [fuse options]\n", argv[0]); return 2; }
  char real[PATH_MAX];
  if (!realpath(argv[1], real)) { perror(argv[1]); return 2; }
  g_backing = real;
  fuse_operations ops{};
  ops.getattr = fs_getattr; ops.readdir = fs_readdir; ops.open = fs_open; ops.create = fs_create;
  ops.read = fs_read; ops.write = fs_write; ops.truncate = fs_truncate; ops.fallocate = fs_fallocate;
  ops.fsync = fs_fsync; ops.flush = fs_flush; ops.release = fs_release; ops.unlink = fs_unlink;
  ops.rename = fs_rename; ops.mkdir = fs_mkdir; ops.rmdir = fs_rmdir; ops.fsyncdir = fs_fsyncdir;
  ops.utimens = fs_utimens; ops.chmod = fs_chmod; ops.statfs = fs_statfs; ops.access = fs_access;
  // SIGUSR1 is the torn-write power cut: blocked in every thread, taken by one waiting thread.
  sigset_t crash_signal;
  sigemptyset(&crash_signal);
  sigaddset(&crash_signal, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &crash_signal, nullptr);
  std::thread(await_crash_signal).detach();
  std::vector<char*> args = {argv[0], argv[2], (char*)"-f"};
  for (int i = 3; i < argc; i++) args.push_back(argv[i]);
  return fuse_main(args.size(), args.data(), &ops, nullptr);
}
