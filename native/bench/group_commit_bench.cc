// Measures group commit throughput on this machine's disk: GroupCommitFile (io_uring or blocking)
// with 1..N syncs in flight and different ways of preparing the file, and the raw baseline.
//
//   group_commit_bench --dir DIR [--seconds 3] [--record-bytes 100] [--records-per-sync 128]
//                      [--in-flight 1,2,4,8] [--backends uring,blocking]
//                      [--prealloc none,fallocate,zeros] [--modes write,sync] [--raw]
//
// Prints one CSV line per configuration: backend,in_flight,prealloc,mode,syncs_per_s,records_per_s.
// mode: write = write_and_request_sync (the batch rides in the io_uring chain); sync = the caller
// pwrite()s the batch itself, as stores into Chronicle's mmap would land, then request_sync().
// prealloc: none = every batch appends (extends the file); fallocate = fallocate(0) of the whole
// region first (unwritten extents); zeros = GroupCommitFile::preallocate (written zeros).
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "trident/group_commit.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string dir = "/tmp";
  double seconds = 3.0;
  int record_bytes = 100;
  int records_per_sync = 128;
  std::vector<std::string> in_flight = {"1", "2", "4", "8"};
  std::vector<std::string> backends = {"uring", "blocking"};
  std::vector<std::string> preallocs = {"none", "fallocate", "zeros"};
  std::vector<std::string> modes = {"write"};
  bool raw = false;
};

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) parts.push_back(part);
  return parts;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", flag.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--dir") options.dir = value();
    else if (flag == "--seconds") options.seconds = std::stod(value());
    else if (flag == "--record-bytes") options.record_bytes = std::stoi(value());
    else if (flag == "--records-per-sync") options.records_per_sync = std::stoi(value());
    else if (flag == "--in-flight") options.in_flight = split(value());
    else if (flag == "--backends") options.backends = split(value());
    else if (flag == "--prealloc") options.preallocs = split(value());
    else if (flag == "--modes") options.modes = split(value());
    else if (flag == "--raw") options.raw = true;
    else {
      std::fprintf(stderr, "unknown flag %s (see the comment at the top of the source)\n",
                   flag.c_str());
      std::exit(2);
    }
  }
  return options;
}

// Bytes a run may touch: writes wrap around inside this region once it is full.
constexpr int64_t kRegionBytes = int64_t{1} << 30;
constexpr int64_t kZeroRegionBytes = int64_t{256} << 20;

void run_file(const Options& options, const std::string& backend, int in_flight,
              const std::string& prealloc, const std::string& mode) {
  const std::string path = options.dir + "/group_commit_bench.dat";
  ::unlink(path.c_str());
  const int backend_code =
      backend == "blocking" ? trident::GroupCommitFile::kBackendBlocking
                            : trident::GroupCommitFile::kBackendAuto;
  std::unique_ptr<trident::GroupCommitFile> file(
      trident::GroupCommitFile::open(path.c_str(), in_flight, backend_code));
  int64_t region = kRegionBytes;
  if (prealloc == "fallocate") {
    int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0 || fallocate(fd, 0, 0, kRegionBytes) != 0 || fdatasync(fd) != 0) {
      std::perror("fallocate");
      std::exit(1);
    }
    ::close(fd);
  } else if (prealloc == "zeros") {
    region = kZeroRegionBytes;
    file->preallocate(0, region);
  }
  const int64_t batch_bytes = int64_t{options.record_bytes} * options.records_per_sync;
  // One buffer per ticket that may be in flight: a buffer is reused only after its ticket is
  // durable (the window guarantees ticket t - in_flight is durable when t is issued).
  std::vector<std::vector<char>> buffers(in_flight + 1,
                                         std::vector<char>(static_cast<size_t>(batch_bytes), 'r'));
  const Clock::time_point begin = Clock::now();
  const Clock::time_point deadline =
      begin + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(options.seconds));
  const bool caller_writes = mode == "sync";
  const int caller_fd = caller_writes ? ::open(path.c_str(), O_RDWR) : -1;
  int64_t offset = 0;
  int64_t ticket = 0;
  while (Clock::now() < deadline) {
    if (offset + batch_bytes > region) offset = 0;
    const char* batch = buffers[ticket % buffers.size()].data();
    if (caller_writes) {
      if (pwrite(caller_fd, batch, batch_bytes, offset) != batch_bytes) {
        std::perror("pwrite");
        std::exit(1);
      }
      ticket = file->request_sync();
    } else {
      ticket = file->write_one_and_request_sync(batch, offset, batch_bytes);
    }
    offset += batch_bytes;
  }
  if (caller_fd >= 0) ::close(caller_fd);
  file->await_durable(ticket);
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  std::printf("%s,%d,%s,%s,%.0f,%.0f\n", file->uses_io_uring() ? "uring" : "blocking",
              in_flight, prealloc.c_str(), mode.c_str(), ticket / elapsed,
              static_cast<double>(ticket) * options.records_per_sync / elapsed);
  std::fflush(stdout);
  file.reset();
  ::unlink(path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  std::printf("# io_uring: %s\n",
              trident::io_uring_available() ? "available"
                                            : trident::io_uring_unavailability_cause());
  std::printf("# record_bytes=%d records_per_sync=%d seconds=%.1f\n", options.record_bytes,
              options.records_per_sync, options.seconds);
  std::printf("backend,in_flight,prealloc,mode,syncs_per_s,records_per_s\n");
  try {
    for (const std::string& prealloc : options.preallocs) {
      for (const std::string& backend : options.backends) {
        for (const std::string& in_flight : options.in_flight) {
          for (const std::string& mode : options.modes) {
            run_file(options, backend, std::stoi(in_flight), prealloc, mode);
          }
        }
      }
    }
    if (options.raw) {
      std::printf("# raw baseline (mode = p50_us/p99_us from pwrite to sync completion): "
                  "backend,in_flight,prealloc,p50_us/p99_us,syncs_per_s,records_per_s\n");
      for (const std::string& in_flight : options.in_flight) {
        for (int64_t prealloc_bytes : {int64_t{0}, kZeroRegionBytes}) {
          trident::RawGroupCommitResult r = trident::raw_group_commit(
              (options.dir + "/group_commit_raw.dat").c_str(), options.record_bytes,
              options.records_per_sync, std::stoi(in_flight), options.seconds, prealloc_bytes);
          std::printf("raw-%s,%s,%s,%.0f/%.0f,%.0f,%.0f\n", r.used_io_uring ? "uring" : "blocking",
                      in_flight.c_str(), prealloc_bytes > 0 ? "zeros" : "none",
                      r.sync_latency_p50_micros, r.sync_latency_p99_micros, r.syncs_per_second,
                      r.records_per_second);
          std::fflush(stdout);
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "group_commit_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
