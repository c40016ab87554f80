// Compaction of an HNSW index: removed ids stay in the graph as tombstones (they keep routing
// searches but cost memory and search time), so VectorIndex::compact() builds a fresh graph of
// the live nodes and swaps it in. Locking: see VectorIndex::compact in vector_index.cc.
#include <cstring>
#include <memory>
#include <utility>

#include "vector_index_impl.h"

namespace trident {

int64_t VectorIndexImpl::tombstone_count() const {
  if (parsed_.kind != StructureKind::kHnsw) return 0;
  return static_cast<int64_t>(node_ids_.size()) - static_cast<int64_t>(live_ids_.size());
}

VectorIndexImpl::LiveRows VectorIndexImpl::live_rows() const {
  check_usable();
  LiveRows rows;
  if (parsed_.kind != StructureKind::kHnsw) return rows;
  const auto& hnsw = static_cast<const faiss::IndexHNSWFlat&>(*index_);
  const float* stored = static_cast<const faiss::IndexFlat*>(hnsw.storage)->get_xb();
  const size_t dimension = size_t(dimension_);
  rows.ids.reserve(live_ids_.size());
  rows.vectors.resize(live_ids_.size() * dimension);
  for (size_t node = 0; node < node_ids_.size(); ++node) {
    if (is_tombstoned(tombstones_.data(), node)) continue;
    std::memcpy(rows.vectors.data() + rows.ids.size() * dimension, stored + node * dimension,
                dimension * sizeof(float));
    rows.ids.push_back(node_ids_[node]);
  }
  return rows;
}

std::unique_ptr<VectorIndexImpl> VectorIndexImpl::empty_like() const {
  return std::make_unique<VectorIndexImpl>(dimension_, spec_, metric_, ef_construction_);
}

void VectorIndexImpl::swap_structure(VectorIndexImpl& other) {
  std::swap(index_, other.index_);
  std::swap(live_ids_, other.live_ids_);
  std::swap(unusable_, other.unusable_);
  std::swap(node_ids_, other.node_ids_);
  std::swap(node_of_id_, other.node_of_id_);
  std::swap(tombstones_, other.tombstones_);
  std::swap(level0_, other.level0_);
  std::swap(layout_encoding_, other.layout_encoding_);
  std::swap(search_layout_exact_, other.search_layout_exact_);
  std::swap(vectors_fit_half_, other.vectors_fit_half_);
  std::swap(flat_bf16_, other.flat_bf16_);
  std::swap(flat_f32_, other.flat_f32_);
  ++mutations_;
}

}  // namespace trident
