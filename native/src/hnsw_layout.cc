#include "trident/hnsw_layout.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace trident {
namespace {

constexpr size_t kLineBytes = 64;

size_t round_up(size_t bytes) { return (bytes + kLineBytes - 1) / kLineBytes * kLineBytes; }

}  // namespace

void HnswLevel0Layout::FreeDeleter::operator()(uint8_t* p) const { std::free(p); }

void HnswLevel0Layout::configure(const faiss::HNSW& graph, size_t dimension) {
  const size_t slots = size_t(graph.cum_nneighbor_per_level[1]);
  if (slots == level0_slots_ && dimension == dimension_) return;
  dimension_ = dimension;
  level0_slots_ = slots;
  links_bytes_ = round_up(slots * sizeof(int32_t));
  block_bytes_ = links_bytes_ + round_up(dimension * sizeof(float));
  data_.reset();
  node_count_ = capacity_ = 0;
}

void HnswLevel0Layout::reserve(size_t nodes) {
  if (nodes <= capacity_) return;
  const size_t capacity = nodes > capacity_ * 2 ? nodes : capacity_ * 2;  // amortised growth
  auto* fresh = static_cast<uint8_t*>(std::aligned_alloc(kLineBytes, capacity * block_bytes_));
  if (fresh == nullptr) throw std::bad_alloc();
  if (node_count_ > 0) std::memcpy(fresh, data_.get(), node_count_ * block_bytes_);
  data_.reset(fresh);
  capacity_ = capacity;
}

void HnswLevel0Layout::copy_links(const faiss::HNSW& graph, size_t node) {
  auto* out = reinterpret_cast<int32_t*>(data_.get() + node * block_bytes_);
  std::memcpy(out, graph.neighbors.data() + graph.offsets[node], level0_slots_ * sizeof(int32_t));
}

void HnswLevel0Layout::rebuild(const faiss::HNSW& graph, const float* vectors, size_t dimension,
                               size_t node_count) {
  configure(graph, dimension);
  node_count_ = 0;
  if (node_count == 0) return;
  sync_after_add(graph, vectors, 0, node_count);
}

void HnswLevel0Layout::sync_after_add(const faiss::HNSW& graph, const float* vectors,
                                      size_t first_new, size_t node_count) {
  reserve(node_count);
  for (size_t node = first_new; node < node_count; ++node) {
    uint8_t* block = data_.get() + node * block_bytes_;
    std::memset(block, 0, block_bytes_);
    std::memcpy(block + links_bytes_, vectors + node * dimension_, dimension_ * sizeof(float));
  }
  node_count_ = node_count;
  for (size_t node = first_new; node < node_count; ++node) {
    copy_links(graph, node);
    // FAISS linked each new node back from its neighbours (and may have pruned their lists).
    const int32_t* links = graph.neighbors.data() + graph.offsets[node];
    for (size_t slot = 0; slot < level0_slots_ && links[slot] >= 0; ++slot) {
      if (size_t(links[slot]) < first_new) copy_links(graph, size_t(links[slot]));
    }
  }
}

}  // namespace trident
