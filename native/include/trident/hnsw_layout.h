// A search-friendly copy of an HNSW graph's level 0: for every node, its level-0 link list and
// its vector side by side in one 64-byte-aligned block, so expanding a node and scoring its
// neighbours touches a few adjacent cache lines instead of three scattered arrays (FAISS keeps
// offsets, links and vectors apart). Upper levels stay in faiss::HNSW (they are tiny and only
// walked greedily).
//
// Block of node i, at data + i * block_bytes:
//   int32 links[level0_slots]  (-1 terminated when not full), padded to 64 bytes
//   vector[dimension] as float32, IEEE half or bf16 (VectorEncoding),  padded to 64 bytes
//   (bf16: the hnsw_bf16.h row format, values relative to center() plus the row's norm)
// Half vectors halve the bytes a search pulls from memory; the search then re-ranks its final
// candidates with the exact float32 vectors (kept by FAISS's storage). Half is used only while
// every component fits its range (|x| <= 65504); see half_precision_fits(). bf16 rows have the
// half's size but are scored with AVX512-BF16 dot products (hnsw_bf16.h), no conversion.
//
// Thread rules: readers (search) may run concurrently; sync_after_add()/rebuild() mutate and
// must be exclusive (the VectorIndex lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <faiss/impl/HNSW.h>

#include "trident/hnsw_upper_layout.h"

namespace trident {

enum class VectorEncoding { kFloat32, kFloat16, kBfloat16 };

// True when all n*dimension values can be stored as half precision without overflow.
bool half_precision_fits(const float* values, size_t count);

class HnswLevel0Layout {
 public:
  HnswLevel0Layout() = default;
  HnswLevel0Layout(const HnswLevel0Layout&) = delete;
  HnswLevel0Layout& operator=(const HnswLevel0Layout&) = delete;
  HnswLevel0Layout(HnswLevel0Layout&&) = default;  // compaction swaps a fresh layout in
  HnswLevel0Layout& operator=(HnswLevel0Layout&&) = default;

  // Copies the whole graph level 0 and all vectors (node_count rows of `dimension` floats),
  // split over `threads` OpenMP threads (each node's block is written by one thread).
  void rebuild(const faiss::HNSW& graph, const float* vectors, size_t dimension, size_t node_count,
               VectorEncoding encoding, int threads = 1);

  // After FAISS added nodes [first_new, node_count): copies the new nodes and refreshes the link
  // lists FAISS changed when it linked them in (those of every level-0 neighbour of a new node).
  // Rare case not covered: an old node linked to a new node that a later node of the same batch
  // then pruned from the new node's list keeps its previous list - still a valid graph (every
  // link is a real node), just not FAISS's latest; rebuild() resynchronises exactly.
  // Requires an earlier rebuild() (which fixes the dimension and block shape).
  // all_links: refreshes every node's list instead (exact, as rebuild() but without recopying
  // old vectors; for adds whose concurrent insertions prune lists the rule above misses), on
  // `threads` OpenMP threads.
  void sync_after_add(const faiss::HNSW& graph, const float* vectors, size_t first_new,
                      size_t node_count, bool all_links = false, int threads = 1);

  // Makes room for `nodes` blocks now (throws std::bad_alloc) so a later sync cannot fail.
  void reserve(size_t nodes);

  const int32_t* links(size_t node) const {
    return reinterpret_cast<const int32_t*>(data_.get() + node * block_bytes_);
  }
  const void* vector_bytes(size_t node) const {
    return data_.get() + node * block_bytes_ + links_bytes_;
  }
  VectorEncoding encoding() const { return encoding_; }
  // First vector and the distance between consecutive vectors in elements (for the kernels);
  // the float32 form for kFloat32, the half form for kFloat16 (kBfloat16: block_bytes()).
  const float* float_vectors_base() const { return static_cast<const float*>(vector_bytes(0)); }
  const uint16_t* half_vectors_base() const { return static_cast<const uint16_t*>(vector_bytes(0)); }
  size_t vector_stride_elements() const {
    return block_bytes_ / (encoding_ == VectorEncoding::kFloat32 ? 4 : 2);
  }
  size_t level0_slots() const { return level0_slots_; }
  // Raw block geometry, for loops that keep it in registers.
  const uint8_t* blocks() const { return data_.get(); }
  size_t block_bytes() const { return block_bytes_; }
  size_t links_bytes() const { return links_bytes_; }
  size_t node_count() const { return node_count_; }
  size_t dimension() const { return dimension_; }
  size_t vector_bytes_count() const;  // bytes of one encoded vector (unpadded)
  // kBfloat16: the vector subtracted from every row before encoding (dimension floats, the mean
  // of the vectors at the last rebuild()); empty for other encodings.
  const std::vector<float>& center() const { return center_; }
  // Upper levels (1..max), kept in step with level 0 by rebuild() and sync_after_add().
  const HnswUpperLayout& upper() const { return upper_; }
  size_t bytes() const {
    return capacity_ * block_bytes_ + upper_.bytes() + center_.capacity() * sizeof(float);
  }

 private:
  struct FreeDeleter { void operator()(uint8_t* p) const; };
  void configure(const faiss::HNSW& graph, size_t dimension, VectorEncoding encoding);
  void choose_center(const float* vectors, size_t node_count);
  void copy_vector(const float* vector, size_t node);
  void copy_links(const faiss::HNSW& graph, size_t node);

  std::unique_ptr<uint8_t[], FreeDeleter> data_;
  size_t dimension_ = 0;
  VectorEncoding encoding_ = VectorEncoding::kFloat32;
  size_t level0_slots_ = 0;
  size_t links_bytes_ = 0;
  size_t block_bytes_ = 0;
  size_t node_count_ = 0;
  size_t capacity_ = 0;
  std::vector<float> center_;
  HnswUpperLayout upper_;
};

}  // namespace trident
