#include "trident/hnsw_search.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "trident/distance.h"
#include "trident/hnsw_bf16.h"
#include "trident/hnsw_upper_layout.h"

namespace trident {
namespace {

struct Scored {
  float distance;  // smaller is better (inner product is negated)
  int32_t node;
};
struct FartherFirst {  // max-heap on distance: worst result on top
  bool operator()(const Scored& a, const Scored& b) const { return a.distance < b.distance; }
};
struct NearerFirst {  // min-heap on distance: best candidate on top
  bool operator()(const Scored& a, const Scored& b) const { return a.distance > b.distance; }
};

// Search scratch, reused across queries and indexes. The visited table holds a 16-bit
// generation stamp per node: "visited" means stamp == current generation, so clearing is O(1)
// per query plus one full clear every 65535 queries (8-bit stamps would clear every 255, which
// costs microseconds per query on a 10M-node graph).
struct SearchScratch {
  std::vector<uint16_t> visited_stamp;
  uint16_t generation = 0;
  std::vector<Scored> candidates;
  std::vector<Scored> results;
  std::vector<int32_t> batch_nodes;
  std::vector<float> batch_distances;
  std::vector<uint64_t> query_row;  // the query in the bf16 row format (8-byte aligned words)

  void begin_query(size_t node_count) {
    if (visited_stamp.size() < node_count) visited_stamp.resize(node_count, 0);
    if (++generation == 0) {
      std::fill(visited_stamp.begin(), visited_stamp.end(), 0);
      generation = 1;
    }
    candidates.clear();
    results.clear();
  }
};

// Scratch is pooled, not kept per thread: its visited table grows to 2 bytes per graph node,
// and a per-thread copy stays with every thread that ever searched, so a process with hundreds
// of caller threads held hundreds of copies. A search borrows one for its duration; at most
// max(8, 2 x cores) are kept for reuse (AsyncSearcher runs one search per core; more callers
// searching at once than that only time-slice the cores); extra ones are freed when returned.
// The mutex is held for a pointer move only.
class ScratchPool {
 public:
  std::unique_ptr<SearchScratch> take() {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<SearchScratch> scratch = std::move(idle_.back());
        idle_.pop_back();
        return scratch;
      }
    }
    return std::make_unique<SearchScratch>();
  }
  void give(std::unique_ptr<SearchScratch> scratch) {
    std::lock_guard<std::mutex> guard(mutex_);
    if (idle_.size() < pooled_max_) idle_.push_back(std::move(scratch));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<SearchScratch>> idle_;
  const size_t pooled_max_ = std::max<size_t>(8, 2 * size_t(std::thread::hardware_concurrency()));
};

ScratchPool& scratch_pool() {
  static ScratchPool* pool = new ScratchPool();  // never destroyed: searches may outlive statics
  return *pool;
}

// One search's scratch, returned to the pool when the search ends (also on an exception).
class BorrowedScratch {
 public:
  BorrowedScratch() : scratch_(scratch_pool().take()) {}
  ~BorrowedScratch() { scratch_pool().give(std::move(scratch_)); }
  BorrowedScratch(const BorrowedScratch&) = delete;
  BorrowedScratch& operator=(const BorrowedScratch&) = delete;
  SearchScratch& get() { return *scratch_; }

 private:
  std::unique_ptr<SearchScratch> scratch_;
};

// The query in the forms the walk's kernels read: float32, and for a kBfloat16 layout the bf16
// row (hnsw_bf16.h) relative to the layout's center (L2) or to zero (inner product).
struct WalkQuery {
  const float* floats;
  const uint8_t* bf16_row;
};

WalkQuery prepare_query(const HnswGraphView& view, const float* query, SearchScratch& scratch) {
  if (view.level0->encoding() != VectorEncoding::kBfloat16) return {query, nullptr};
  const size_t dimension = view.dimension;
  scratch.query_row.resize((bf16_row_bytes(dimension) + 7) / 8);
  auto* row = reinterpret_cast<uint8_t*>(scratch.query_row.data());
  bf16_encode_row(query, view.inner_product ? nullptr : view.level0->center().data(), dimension,
                  row);
  return {query, row};
}

// Distances from the query to rows ids[0..count) of an encoded vector array (`base`, row stride
// in bytes) into out, smaller-is-better convention (inner product negated).
inline void score_rows(const HnswGraphView& view, const DistanceKernels& kernels,
                       const WalkQuery& walk_query, const void* base, size_t stride_bytes,
                       const int32_t* ids, size_t count, float* out) {
  const VectorEncoding encoding = view.level0->encoding();
  if (encoding == VectorEncoding::kBfloat16) {
    bf16_distances_by_ids(walk_query.bf16_row, static_cast<const uint8_t*>(base), stride_bytes,
                          view.dimension, view.inner_product, ids, count, out);
    return;
  }
  const float* query = walk_query.floats;
  const size_t stride = stride_bytes / (encoding == VectorEncoding::kFloat16 ? 2 : 4);
  if (encoding == VectorEncoding::kFloat16) {
    const auto* halves = static_cast<const uint16_t*>(base);
    if (view.inner_product) {
      kernels.inner_product_f16_by_ids(query, halves, stride, view.dimension, ids, count, out);
    } else {
      kernels.l2_squared_f16_by_ids(query, halves, stride, view.dimension, ids, count, out);
    }
  } else {
    const auto* floats = static_cast<const float*>(base);
    if (view.inner_product) {
      kernels.inner_product_by_ids(query, floats, stride, view.dimension, ids, count, out);
    } else {
      kernels.l2_squared_by_ids(query, floats, stride, view.dimension, ids, count, out);
    }
  }
  if (view.inner_product) {
    for (size_t j = 0; j < count; ++j) out[j] = -out[j];
  }
}

// Distances to level-0 nodes.
inline void score_nodes(const HnswGraphView& view, const DistanceKernels& kernels,
                        const WalkQuery& query, const int32_t* nodes, size_t count, float* out) {
  const HnswLevel0Layout& level0 = *view.level0;
  score_rows(view, kernels, query, level0.vector_bytes(0), level0.block_bytes(), nodes, count,
             out);
}

// Greedy descent from the entry point through levels max..1 over the compact upper layout;
// returns the level-0 node to start the beam from, and its distance.
void descend_upper_levels(const HnswGraphView& view, const DistanceKernels& kernels,
                          const WalkQuery& query, SearchScratch& scratch, int32_t& entry,
                          float& entry_distance) {
  const HnswUpperLayout& upper = view.level0->upper();
  int32_t* batch = scratch.batch_nodes.data();
  float* distances = scratch.batch_distances.data();
  int32_t current = int32_t(upper.entry());
  const HnswUpperLayout::Level& top = upper.level(upper.top_level());
  score_rows(view, kernels, query, top.vectors_base(), top.block_bytes, &current, 1,
             &entry_distance);
  for (int l = upper.top_level(); l >= 1; --l) {
    const HnswUpperLayout::Level& level = upper.level(l);
    const size_t stride = level.block_bytes;
    for (bool improved = true; improved;) {
      improved = false;
      const int32_t* links = level.links(size_t(current));
      size_t count = 0;
      for (size_t slot = 0; slot < level.slots && links[slot] >= 0; ++slot) batch[count++] = links[slot];
      score_rows(view, kernels, query, level.vectors_base(), stride, batch, count, distances);
      const int32_t from = current;
      for (size_t j = 0; j < count; ++j) {
        if (distances[j] < entry_distance) {
          entry_distance = distances[j];
          current = batch[j];
        }
      }
      improved = current != from;
    }
    current = level.lower(size_t(current));  // index one level down; a node id below level 1
  }
  entry = current;
}

// Greedy walk on one upper level: moves to the best neighbour until none improves.
void greedy_descend(const HnswGraphView& view, const DistanceKernels& kernels,
                    const WalkQuery& query, int level, SearchScratch& scratch, int32_t& best,
                    float& best_distance) {
  const faiss::HNSW& graph = *view.graph;
  const size_t begin_slot = graph.cum_nneighbor_per_level[level];
  const size_t end_slot = graph.cum_nneighbor_per_level[level + 1];
  for (bool improved = true; improved;) {
    improved = false;
    const int32_t* links = graph.neighbors.data() + graph.offsets[best];
    size_t count = 0;
    for (size_t slot = begin_slot; slot < end_slot && links[slot] >= 0; ++slot) {
      scratch.batch_nodes[count++] = links[slot];
    }
    score_nodes(view, kernels, query, scratch.batch_nodes.data(), count,
                scratch.batch_distances.data());
    for (size_t j = 0; j < count; ++j) {
      if (scratch.batch_distances[j] < best_distance) {
        best_distance = scratch.batch_distances[j];
        best = scratch.batch_nodes[j];
        improved = true;
      }
    }
  }
}

// Beam search of width ef on level 0 from `entry`. Every node is expanded; only those
// `accepts(node)` allows enter the results. Returns false (results then incomplete) once more than
// `distances_max` distances were computed (0: no limit); `*distances_computed` counts them.
template <typename Accepts>
bool beam_search_level0(const HnswGraphView& view, const DistanceKernels& kernels,
                        const WalkQuery& query, size_t ef, int32_t entry, float entry_distance,
                        SearchScratch& scratch, const Accepts& accepts, size_t distances_max,
                        size_t* distances_computed) {
  const HnswLevel0Layout& level0 = *view.level0;
  const size_t level0_slots = level0.level0_slots();
  auto& candidates = scratch.candidates;
  auto& results = scratch.results;
  uint16_t* stamp = scratch.visited_stamp.data();
  const uint16_t generation = scratch.generation;
  const uint8_t* blocks = level0.blocks();
  const size_t block_bytes = level0.block_bytes();
  const size_t vector_offset = level0.links_bytes();
  const size_t vector_bytes = block_bytes - vector_offset;
  int32_t* batch_nodes = scratch.batch_nodes.data();
  size_t computed = 0;

  stamp[entry] = generation;
  candidates.push_back({entry_distance, entry});
  if (accepts(entry)) results.push_back({entry_distance, entry});

  while (!candidates.empty()) {
    const Scored current = candidates.front();
    if (results.size() >= ef && current.distance > results.front().distance) break;
    std::pop_heap(candidates.begin(), candidates.end(), NearerFirst());
    candidates.pop_back();
    if (!candidates.empty()) {  // the next expansion's link list is likely needed soon
      __builtin_prefetch(blocks + size_t(candidates.front().node) * block_bytes, 0, 3);
    }

    // Locals on purpose: fields read through references would be reloaded from memory after
    // every store in this loop the compiler cannot prove unrelated.
    const int32_t* links = reinterpret_cast<const int32_t*>(blocks + size_t(current.node) * block_bytes);
    int32_t* batch = batch_nodes;
    size_t count = 0;
    for (size_t slot = 0; slot < level0_slots; ++slot) {
      const int32_t neighbour = links[slot];
      if (neighbour < 0) break;
      if (stamp[neighbour] == generation) continue;
      stamp[neighbour] = generation;
      // Start the whole row moving now, while the other links are checked (measured: ~10%
      // faster than prefetching its first line only and leaving the rest to the kernel).
      const uint8_t* row = blocks + size_t(neighbour) * block_bytes + vector_offset;
      for (size_t offset = 0; offset < vector_bytes; offset += 64) __builtin_prefetch(row + offset, 0, 3);
      batch[count++] = neighbour;
    }
    if (count == 0) continue;
    computed += count;
    if (distances_max != 0 && computed > distances_max) {
      *distances_computed = computed;
      return false;
    }
    float* distances = scratch.batch_distances.data();
    score_nodes(view, kernels, query, batch_nodes, count, distances);

    for (size_t j = 0; j < count; ++j) {
      const float distance = distances[j];
      if (results.size() >= ef && distance >= results.front().distance) continue;
      const int32_t node = batch_nodes[j];
      candidates.push_back({distance, node});
      std::push_heap(candidates.begin(), candidates.end(), NearerFirst());
      if (!accepts(node)) continue;
      results.push_back({distance, node});
      std::push_heap(results.begin(), results.end(), FartherFirst());
      if (results.size() > ef) {
        std::pop_heap(results.begin(), results.end(), FartherFirst());
        results.pop_back();
      }
    }
  }
  *distances_computed = computed;
  return true;
}

// Half-precision or bf16 search: replaces every result's distance by the exact float32 one, so
// the final order and the reported distances are exact among the candidates found.
void rerank_exact(const HnswGraphView& view, const DistanceKernels& kernels, const float* query,
                  SearchScratch& scratch) {
  auto& results = scratch.results;
  const size_t count = results.size();
  for (size_t j = 0; j < count; ++j) scratch.batch_nodes[j] = results[j].node;
  float* distances = scratch.batch_distances.data();
  if (view.inner_product) {
    kernels.inner_product_by_ids(query, view.exact_vectors, view.dimension, view.dimension,
                                 scratch.batch_nodes.data(), count, distances);
    for (size_t j = 0; j < count; ++j) distances[j] = -distances[j];
  } else {
    kernels.l2_squared_by_ids(query, view.exact_vectors, view.dimension, view.dimension,
                              scratch.batch_nodes.data(), count, distances);
  }
  for (size_t j = 0; j < count; ++j) results[j].distance = distances[j];
  std::sort(results.begin(), results.end(),
            [](const Scored& a, const Scored& b) { return a.distance < b.distance; });
}

// The common driver: fills the outputs with "nothing found", descends, walks level 0 with
// `accepts`, re-ranks and writes up to k results. Returns the count, or -1 when the walk gave up.
template <typename Accepts>
int search_with(const HnswGraphView& view, const float* query, int k, int ef,
                const Accepts& accepts, size_t distances_max, float* distances, int64_t* nodes,
                size_t* level0_distances) {
  const float worst = view.inner_product ? -std::numeric_limits<float>::infinity()
                                         : std::numeric_limits<float>::infinity();
  for (int i = 0; i < k; ++i) {
    distances[i] = worst;
    nodes[i] = -1;
  }
  size_t computed = 0;
  if (level0_distances != nullptr) *level0_distances = 0;
  const faiss::HNSW& graph = *view.graph;
  if (view.node_count == 0 || graph.entry_point < 0 || view.level0 == nullptr) return 0;

  const DistanceKernels& kernels = distance_kernels();
  BorrowedScratch borrowed;
  SearchScratch& scratch = borrowed.get();
  scratch.begin_query(view.node_count);
  const size_t beam = static_cast<size_t>(std::max(ef, k));
  const size_t batch_max =
      std::max(static_cast<size_t>(graph.cum_nneighbor_per_level.back()), beam + 1);
  if (scratch.batch_nodes.size() < batch_max) {
    scratch.batch_nodes.resize(batch_max);
    scratch.batch_distances.resize(batch_max);
  }

  const WalkQuery walk_query = prepare_query(view, query, scratch);
  int32_t entry = graph.entry_point;
  float entry_distance;
  if (!view.level0->upper().empty()) {
    descend_upper_levels(view, kernels, walk_query, scratch, entry, entry_distance);
  } else {  // a layout built without the upper copy: walk FAISS's own arrays
    score_nodes(view, kernels, walk_query, &entry, 1, &entry_distance);
    for (int level = graph.max_level; level >= 1; --level) {
      greedy_descend(view, kernels, walk_query, level, scratch, entry, entry_distance);
    }
  }
  const bool complete = beam_search_level0(view, kernels, walk_query, beam, entry, entry_distance,
                                           scratch, accepts, distances_max, &computed);
  if (level0_distances != nullptr) *level0_distances = computed;
  if (!complete) return -1;

  auto& results = scratch.results;
  if (view.level0->encoding() != VectorEncoding::kFloat32 && view.exact_vectors != nullptr) {
    rerank_exact(view, kernels, query, scratch);
  } else {
    std::sort_heap(results.begin(), results.end(), FartherFirst());  // ascending distance
  }
  const int found = static_cast<int>(std::min<size_t>(results.size(), static_cast<size_t>(k)));
  for (int i = 0; i < found; ++i) {
    distances[i] = view.inner_product ? -results[i].distance : results[i].distance;
    nodes[i] = results[i].node;
  }
  return found;
}

}  // namespace

int hnsw_search_one(const HnswGraphView& view, const float* query, int k, int ef,
                    float* distances, int64_t* nodes) {
  const uint64_t* tombstones = view.tombstones;
  return search_with(
      view, query, k, ef, [tombstones](int32_t node) { return !is_tombstoned(tombstones, size_t(node)); },
      0, distances, nodes, nullptr);
}

int hnsw_search_filtered(const HnswGraphView& view, const NodeFilter& filter,
                         size_t level0_distances_max, const float* query, int k, int ef,
                         float* distances, int64_t* nodes, size_t* level0_distances) {
  const uint64_t* tombstones = view.tombstones;
  return search_with(
      view, query, k, ef,
      [tombstones, &filter](int32_t node) {
        return !is_tombstoned(tombstones, size_t(node)) && filter.accepts(node);
      },
      level0_distances_max, distances, nodes, level0_distances);
}

}  // namespace trident
