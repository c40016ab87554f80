#include "index_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nmmintrin.h>

#include "trident/error.h"

namespace trident {
namespace {

constexpr char kMagic[8] = {'T', 'R', 'I', 'D', 'V', 'I', 'D', 'X'};
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kHeaderBytes = 64;
constexpr size_t kChecksumBytes = 4;

std::string errno_text() { return std::strerror(errno); }

// --- CRC32C: SSE4.2 instruction when present, table otherwise ---
uint32_t crc_table[256];
bool init_table() {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    crc_table[i] = c;
  }
  return true;
}

uint32_t crc32c_table(uint32_t crc, const uint8_t* p, size_t n) {
  static const bool ready = init_table();
  (void)ready;
  for (size_t i = 0; i < n; ++i) crc = crc_table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return crc;
}

__attribute__((target("sse4.2"))) uint32_t crc32c_hw(uint32_t crc, const uint8_t* p, size_t n) {
  uint64_t c = crc;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; n > 0; --n, ++p) c32 = _mm_crc32_u8(c32, *p);
  return c32;
}

void put_u32(uint8_t* at, uint32_t v) { std::memcpy(at, &v, 4); }
void put_u64(uint8_t* at, uint64_t v) { std::memcpy(at, &v, 8); }
uint32_t get_u32(const uint8_t* at) { uint32_t v; std::memcpy(&v, at, 4); return v; }
uint64_t get_u64(const uint8_t* at) { uint64_t v; std::memcpy(&v, at, 8); return v; }

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { if (fd_ >= 0) ::close(fd_); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() { int fd = fd_; fd_ = -1; return fd; }

 private:
  int fd_;
};

void write_all(int fd, const void* data, size_t length, const std::string& path) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (length > 0) {
    const ssize_t written = ::write(fd, p, length);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) throw Error(ErrorKind::kIo, "write " + path + ": " + errno_text());
    p += written;
    length -= static_cast<size_t>(written);
  }
}

std::string parent_directory(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void corrupt(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::kCorruptFile, "index file " + path + " is not a valid trident index: " + why);
}

}  // namespace

uint32_t crc32c(uint32_t crc, const void* bytes, size_t length) {
  const auto* p = static_cast<const uint8_t*>(bytes);
  static const bool hardware = __builtin_cpu_supports("sse4.2");
  const uint32_t state = ~crc;
  return ~(hardware ? crc32c_hw(state, p, length) : crc32c_table(state, p, length));
}

void write_index_file(const std::string& path, const IndexFileContents& c) {
  uint8_t header[kHeaderBytes] = {};
  std::memcpy(header, kMagic, 8);
  put_u32(header + 8, kFormatVersion);
  put_u32(header + 12, c.metric);
  put_u32(header + 16, c.dimension);
  put_u32(header + 20, c.ef_construction);
  put_u64(header + 24, c.spec.size());
  put_u64(header + 32, c.node_ids.size());
  put_u64(header + 40, c.tombstones.size());
  put_u64(header + 48, c.faiss_bytes.size());

  struct Section { const void* data; size_t length; };
  const Section sections[] = {
      {header, kHeaderBytes},
      {c.spec.data(), c.spec.size()},
      {c.node_ids.data(), c.node_ids.size() * sizeof(int64_t)},
      {c.tombstones.data(), c.tombstones.size() * sizeof(uint64_t)},
      {c.faiss_bytes.data(), c.faiss_bytes.size()},
  };

  const std::string temporary = path + ".tmp";
  FileDescriptor fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw Error(ErrorKind::kIo, "create " + temporary + ": " + errno_text());
  uint32_t crc = 0;
  try {
    for (const Section& s : sections) {
      crc = crc32c(crc, s.data, s.length);
      write_all(fd.get(), s.data, s.length, temporary);
    }
    uint8_t trailer[kChecksumBytes];
    put_u32(trailer, crc);
    write_all(fd.get(), trailer, kChecksumBytes, temporary);
    if (::fsync(fd.get()) != 0) throw Error(ErrorKind::kIo, "fsync " + temporary + ": " + errno_text());
    if (::close(fd.release()) != 0) throw Error(ErrorKind::kIo, "close " + temporary + ": " + errno_text());
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
      throw Error(ErrorKind::kIo, "rename " + temporary + " to " + path + ": " + errno_text());
    }
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  // Make the rename itself durable.
  // Until the directory is synced the rename can be lost on power loss: a failure is an error.
  const std::string parent = parent_directory(path);
  FileDescriptor directory(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0) throw Error(ErrorKind::kIo, "open directory " + parent + ": " + errno_text());
  if (::fsync(directory.get()) != 0) throw Error(ErrorKind::kIo, "fsync directory " + parent + ": " + errno_text());
}

IndexFileContents read_index_file(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw Error(ErrorKind::kIo, "open " + path + ": " + errno_text());
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw Error(ErrorKind::kIo, "stat " + path + ": " + errno_text());
  if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::kIo, path + " is not a regular file");
  const uint64_t file_bytes = static_cast<uint64_t>(st.st_size);
  if (file_bytes < kHeaderBytes + kChecksumBytes) corrupt(path, "too short");

  std::vector<uint8_t> bytes(file_bytes);
  size_t done = 0;
  while (done < file_bytes) {
    const ssize_t got = ::read(fd.get(), bytes.data() + done, file_bytes - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(ErrorKind::kIo, "read " + path + ": " + errno_text());
    if (got == 0) corrupt(path, "shorter than its size");
    done += static_cast<size_t>(got);
  }
  const uint8_t* h = bytes.data();
  if (std::memcmp(h, kMagic, 8) != 0) corrupt(path, "wrong magic");
  if (get_u32(h + 8) != kFormatVersion) corrupt(path, "unsupported format version");
  const uint64_t spec_bytes = get_u64(h + 24);
  const uint64_t id_count = get_u64(h + 32);
  const uint64_t word_count = get_u64(h + 40);
  const uint64_t faiss_count = get_u64(h + 48);
  // Each length is checked against the file size before it is used in any arithmetic.
  const uint64_t body = file_bytes - kHeaderBytes - kChecksumBytes;
  if (spec_bytes > body || id_count > body / 8 || word_count > body / 8 || faiss_count > body ||
      spec_bytes + id_count * 8 + word_count * 8 + faiss_count != body) {
    corrupt(path, "section lengths do not match the file size");
  }
  const uint32_t stored_crc = get_u32(h + file_bytes - kChecksumBytes);
  if (crc32c(0, h, file_bytes - kChecksumBytes) != stored_crc) corrupt(path, "checksum mismatch");

  IndexFileContents c;
  c.metric = get_u32(h + 12);
  c.dimension = get_u32(h + 16);
  c.ef_construction = get_u32(h + 20);
  const uint8_t* p = h + kHeaderBytes;
  c.spec.assign(reinterpret_cast<const char*>(p), spec_bytes);
  p += spec_bytes;
  c.node_ids.resize(id_count);
  std::memcpy(c.node_ids.data(), p, id_count * 8);
  p += id_count * 8;
  c.tombstones.resize(word_count);
  std::memcpy(c.tombstones.data(), p, word_count * 8);
  p += word_count * 8;
  c.faiss_bytes.assign(p, p + faiss_count);
  return c;
}

}  // namespace trident
