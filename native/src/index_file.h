// The on-disk format of a trident::VectorIndex (internal; see vector_index.h for the contract).
//
// Layout, little-endian, fixed 64-byte header then the sections in order, then a CRC32C:
//   0  magic "TRIDVIDX"            8 bytes
//   8  format version (1)          u32
//   12 metric                      u32
//   16 dimension                   u32
//   20 ef_construction             u32
//   24 spec length (bytes)         u64
//   32 node id count               u64   (int64 caller ids)
//   40 tombstone word count        u64   (u64 bitset words, HNSW only)
//   48 faiss byte count            u64   (faiss::write_index output)
//   56 reserved, zero              u64
//   64 spec | node ids | tombstone words | faiss bytes
//   end-4: CRC32C of every byte before it
// A reader checks magic, version, that the section lengths add up to the file size exactly, and
// the checksum, before any byte reaches FAISS.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trident {

struct IndexFileContents {
  uint32_t metric = 0;
  uint32_t dimension = 0;
  uint32_t ef_construction = 0;
  std::string spec;
  std::vector<int64_t> node_ids;     // HNSW: caller id of every node; others: the live ids
  std::vector<uint64_t> tombstones;  // HNSW removal bitset over nodes; empty otherwise
  std::vector<uint8_t> faiss_bytes;
};

// Writes `path` atomically: path + ".tmp", fsync, rename over path, fsync the directory.
// Throws Error(kIo) on any failure (the old file, if any, is left intact).
void write_index_file(const std::string& path, const IndexFileContents& contents);

// Reads and validates a file written by write_index_file. Throws Error(kIo) when it cannot be
// opened or read, Error(kCorruptFile) for a foreign, truncated or altered file.
IndexFileContents read_index_file(const std::string& path);

// CRC32C (Castagnoli) of bytes, continuing from `crc` (0 to start).
uint32_t crc32c(uint32_t crc, const void* bytes, size_t length);

}  // namespace trident
