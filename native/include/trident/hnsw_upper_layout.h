// A compact copy of an HNSW graph's upper levels (1..max_level) for the greedy descent that
// starts every search. FAISS keeps those links inside each node's per-node block and the vectors
// in the big storage, so the descent (about a third of all distance evaluations at low ef)
// touches scattered cache lines. Here each level is one dense array of the nodes that reach it
// (~1/M of the nodes at level 1): a few hundred KiB that stay in cache.
//
// Level l array, entry e: [int32 lower][int32 links[M_l], -1 terminated][pad][vector]
//   lower = e's index in level l-1's array (l >= 2) or its node id (l == 1);
//   links = indices into the same level-l array.
// Vectors use the level-0 layout's encoding (the descent scores with the same kernels).
// Thread rules: as HnswLevel0Layout (read concurrently, rebuilt exclusively).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <faiss/impl/HNSW.h>

namespace trident {

class HnswLevel0Layout;

class HnswUpperLayout {
 public:
  struct Level {
    std::vector<uint8_t> blocks;
    size_t count = 0;
    size_t slots = 0;        // link slots per entry
    size_t block_bytes = 0;
    size_t vector_offset = 0;

    int32_t lower(size_t entry) const { return links_and_lower(entry)[0]; }
    const int32_t* links(size_t entry) const { return links_and_lower(entry) + 1; }
    const void* vectors_base() const { return blocks.data() + vector_offset; }

   private:
    const int32_t* links_and_lower(size_t entry) const {
      return reinterpret_cast<const int32_t*>(blocks.data() + entry * block_bytes);
    }
  };

  // Rebuilds from FAISS's graph (the nodes' levels and upper links) and the level-0 layout
  // (vectors, already encoded). O(node_count) to find the upper nodes, plus their links.
  void rebuild(const faiss::HNSW& graph, const HnswLevel0Layout& level0);

  bool empty() const { return levels_.empty(); }
  int top_level() const { return int(levels_.size()); }
  const Level& level(int l) const { return levels_[size_t(l - 1)]; }  // 1 <= l <= top_level()
  size_t entry() const { return entry_; }  // the graph's entry point, in the top level's array
  size_t bytes() const;

 private:
  std::vector<Level> levels_;
  size_t entry_ = 0;
};

}  // namespace trident
