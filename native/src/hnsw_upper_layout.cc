#include "trident/hnsw_upper_layout.h"

#include <algorithm>
#include <cstring>

#include "trident/hnsw_layout.h"

namespace trident {
namespace {

constexpr size_t kLineBytes = 64;
size_t round_up(size_t bytes) { return (bytes + kLineBytes - 1) / kLineBytes * kLineBytes; }

// Index of `node` in the ascending `members`, or -1.
int32_t position_of(const std::vector<int32_t>& members, int32_t node) {
  const auto it = std::lower_bound(members.begin(), members.end(), node);
  return it != members.end() && *it == node ? int32_t(it - members.begin()) : -1;
}

}  // namespace

void HnswUpperLayout::rebuild(const faiss::HNSW& graph, const HnswLevel0Layout& level0) {
  levels_.clear();
  entry_ = 0;
  const size_t node_count = level0.node_count();
  const int top = graph.max_level;
  if (top < 1 || node_count == 0 || graph.entry_point < 0) return;

  // members[l-1]: ascending ids of the nodes present at level l (FAISS: levels[i] - 1 >= l).
  std::vector<std::vector<int32_t>> members(static_cast<size_t>(top));
  for (size_t node = 0; node < node_count; ++node) {
    const int highest = graph.levels[node] - 1;
    for (int l = 1; l <= highest && l <= top; ++l) members[size_t(l - 1)].push_back(int32_t(node));
  }
  const size_t vector_bytes = round_up(level0.vector_bytes_count());

  levels_.resize(size_t(top));
  for (int l = 1; l <= top; ++l) {
    const std::vector<int32_t>& here = members[size_t(l - 1)];
    Level& level = levels_[size_t(l - 1)];
    level.count = here.size();
    level.slots = size_t(graph.nb_neighbors(l));
    level.vector_offset = round_up((1 + level.slots) * sizeof(int32_t));
    level.block_bytes = level.vector_offset + vector_bytes;
    level.blocks.assign(level.count * level.block_bytes, 0);
    for (size_t e = 0; e < level.count; ++e) {
      const int32_t node = here[e];
      auto* out = reinterpret_cast<int32_t*>(level.blocks.data() + e * level.block_bytes);
      out[0] = l == 1 ? node : position_of(members[size_t(l - 2)], node);
      size_t begin = 0, end = 0;
      graph.neighbor_range(node, l, &begin, &end);
      size_t filled = 0;
      for (size_t slot = begin; slot < end && graph.neighbors[slot] >= 0; ++slot) {
        const int32_t target = position_of(here, graph.neighbors[slot]);
        if (target >= 0) out[1 + filled++] = target;
      }
      for (size_t s = filled; s < level.slots; ++s) out[1 + s] = -1;
      std::memcpy(level.blocks.data() + e * level.block_bytes + level.vector_offset,
                  level0.vector_bytes(size_t(node)), level0.vector_bytes_count());
    }
  }
  const int32_t entry = position_of(members[size_t(top - 1)], graph.entry_point);
  if (entry < 0) {  // inconsistent graph (entry point not on the top level): descend from level 0
    levels_.clear();
    return;
  }
  entry_ = size_t(entry);
}

size_t HnswUpperLayout::bytes() const {
  size_t total = 0;
  for (const Level& level : levels_) total += level.blocks.size();
  return total;
}

}  // namespace trident
