#include "trident/hnsw_layout.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "trident/distance.h"
#include "trident/hnsw_bf16.h"

namespace trident {
namespace {

constexpr size_t kLineBytes = 64;
constexpr size_t kHugePageBytes = size_t(2) << 20;

size_t round_up(size_t bytes) { return (bytes + kLineBytes - 1) / kLineBytes * kLineBytes; }

}  // namespace

void HnswLevel0Layout::FreeDeleter::operator()(uint8_t* p) const { std::free(p); }

bool half_precision_fits(const float* values, size_t count) {
  constexpr float kHalfMax = 65504.0f;
  for (size_t i = 0; i < count; ++i) {
    if (!(values[i] <= kHalfMax && values[i] >= -kHalfMax)) return false;
  }
  return true;
}

void HnswLevel0Layout::configure(const faiss::HNSW& graph, size_t dimension,
                                 VectorEncoding encoding) {
  const size_t slots = size_t(graph.cum_nneighbor_per_level[1]);
  if (slots == level0_slots_ && dimension == dimension_ && encoding == encoding_) return;
  dimension_ = dimension;
  encoding_ = encoding;
  level0_slots_ = slots;
  links_bytes_ = round_up(slots * sizeof(int32_t));
  block_bytes_ = links_bytes_ + round_up(vector_bytes_count());
  data_.reset();
  node_count_ = capacity_ = 0;
}

// Graph search touches blocks at random: with 4 KiB pages nearly every step also misses the TLB.
// Large layouts are therefore 2 MiB aligned and marked for transparent huge pages (the host's
// THP mode is typically "madvise"); where THP is off this is a no-op.
static uint8_t* allocate_blocks(size_t bytes) {
  if (bytes < kHugePageBytes) {
    return static_cast<uint8_t*>(std::aligned_alloc(kLineBytes, round_up(bytes)));
  }
  const size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  auto* p = static_cast<uint8_t*>(std::aligned_alloc(kHugePageBytes, rounded));
  if (p != nullptr) ::madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

void HnswLevel0Layout::reserve(size_t nodes) {
  if (nodes <= capacity_) return;
  const size_t capacity = nodes > capacity_ * 2 ? nodes : capacity_ * 2;  // amortised growth
  uint8_t* fresh = allocate_blocks(capacity * block_bytes_);
  if (fresh == nullptr) throw std::bad_alloc();
  if (node_count_ > 0) std::memcpy(fresh, data_.get(), node_count_ * block_bytes_);
  data_.reset(fresh);
  capacity_ = capacity;
}

void HnswLevel0Layout::copy_links(const faiss::HNSW& graph, size_t node) {
  auto* out = reinterpret_cast<int32_t*>(data_.get() + node * block_bytes_);
  std::memcpy(out, graph.neighbors.data() + graph.offsets[node], level0_slots_ * sizeof(int32_t));
}

size_t HnswLevel0Layout::vector_bytes_count() const {
  switch (encoding_) {
    case VectorEncoding::kFloat32: return dimension_ * 4;
    case VectorEncoding::kFloat16: return dimension_ * 2;
    case VectorEncoding::kBfloat16: return bf16_row_bytes(dimension_);
  }
  return 0;
}

void HnswLevel0Layout::choose_center(const float* vectors, size_t node_count) {
  if (encoding_ != VectorEncoding::kBfloat16) {
    std::vector<float>().swap(center_);
    return;
  }
  std::vector<double> sum(dimension_, 0.0);
  for (size_t node = 0; node < node_count; ++node) {
    const float* row = vectors + node * dimension_;
    for (size_t i = 0; i < dimension_; ++i) sum[i] += row[i];
  }
  center_.assign(dimension_, 0.0f);
  for (size_t i = 0; i < dimension_ && node_count > 0; ++i) {
    center_[i] = float(sum[i] / double(node_count));
  }
}

void HnswLevel0Layout::copy_vector(const float* vector, size_t node) {
  uint8_t* out = data_.get() + node * block_bytes_ + links_bytes_;
  if (encoding_ == VectorEncoding::kFloat32) {
    std::memcpy(out, vector, dimension_ * sizeof(float));
    return;
  }
  if (encoding_ == VectorEncoding::kBfloat16) {
    bf16_encode_row(vector, center_.data(), dimension_, out);
    return;
  }
  auto* halves = reinterpret_cast<uint16_t*>(out);
  for (size_t i = 0; i < dimension_; ++i) halves[i] = float_to_half(vector[i]);
}

void HnswLevel0Layout::rebuild(const faiss::HNSW& graph, const float* vectors, size_t dimension,
                               size_t node_count, VectorEncoding encoding, int threads) {
  configure(graph, dimension, encoding);
  choose_center(vectors, node_count);
  node_count_ = 0;
  if (node_count == 0) {
    upper_.rebuild(graph, *this);  // empties it
    return;
  }
  reserve(node_count);
  const int64_t count = int64_t(node_count);
  // Each iteration writes only its own block: no sharing between threads. Small graphs stay on
  // the calling thread (a team costs more than copying them).
#pragma omp parallel for num_threads(threads) schedule(static, 1024) \
    if (threads > 1 && count > 4096)
  for (int64_t node = 0; node < count; ++node) {
    std::memset(data_.get() + size_t(node) * block_bytes_, 0, block_bytes_);
    copy_vector(vectors + size_t(node) * dimension_, size_t(node));
    copy_links(graph, size_t(node));
  }
  node_count_ = node_count;
  upper_.rebuild(graph, *this);
}

void HnswLevel0Layout::sync_after_add(const faiss::HNSW& graph, const float* vectors,
                                      size_t first_new, size_t node_count, bool all_links,
                                      int threads) {
  reserve(node_count);
  for (size_t node = first_new; node < node_count; ++node) {
    uint8_t* block = data_.get() + node * block_bytes_;
    std::memset(block, 0, block_bytes_);
    copy_vector(vectors + node * dimension_, node);
  }
  node_count_ = node_count;
  if (all_links) {
    const int64_t count = int64_t(node_count);
    // Each iteration writes only its own node's links: no sharing between threads.
#pragma omp parallel for num_threads(threads) schedule(static, 1024) \
    if (threads > 1 && count > 4096)
    for (int64_t node = 0; node < count; ++node) copy_links(graph, size_t(node));
    upper_.rebuild(graph, *this);
    return;
  }
  bool upper_changed = first_new == 0;
  for (size_t node = first_new; node < node_count; ++node) {
    copy_links(graph, node);
    // FAISS linked each new node back from its neighbours (and may have pruned their lists).
    const int32_t* links = graph.neighbors.data() + graph.offsets[node];
    for (size_t slot = 0; slot < level0_slots_ && links[slot] >= 0; ++slot) {
      if (size_t(links[slot]) < first_new) copy_links(graph, size_t(links[slot]));
    }
    // A node above level 0 changes upper links (and maybe the entry point): about 1 add in M.
    if (graph.levels[node] > 1) upper_changed = true;
  }
  if (upper_changed) upper_.rebuild(graph, *this);
}

}  // namespace trident
