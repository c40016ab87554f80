// Filtered search paths (VectorIndex::search with an id filter). Called under the shared lock;
// nothing here mutates the index. The filter is consulted inside each scan or walk, never applied
// to an unfiltered answer afterwards.
//
//   HNSW  Few allowed ids: score exactly the allowed live nodes (float32 vectors, our kernels).
//         Otherwise our graph walk admitting only allowed nodes to its beam, abandoned for that
//         exact scan once it has computed more distances than the scan would (Lucene's rule).
//   Flat  Few allowed ids: score exactly the allowed rows (id -> row by the IDMap's reverse map);
//         otherwise the block scan of search_flat_kernels, skipping disallowed rows.
//   IVF   nprobe scaled by 1 / selectivity, so the probed lists hold about as many allowed
//         entries as an unfiltered probe holds entries; FAISS probes them with a selector on
//         caller ids. IVF-Flat instead scores the allowed entries of every list exactly with our
//         kernels when that costs less than FAISS's probe (FAISS 1.7.3 scans with SSE code).
//   SQ    FAISS's scan with a selector on rows.
// A query left with fewer than k hits by a walk or probe (a walk that gave up or ran out of
// reachable nodes, probed lists short of allowed entries) is answered again exhaustively, so it
// gets k hits whenever the index holds k allowed ids.
//
// Where "few" ends for HNSW was measured (native/bench/filter_bench.md): see the constants below.
#include <faiss/IndexFlat.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <vector>

#include "exact_scan.h"
#include "id_filter.h"
#include "trident/distance.h"
#include "trident/error.h"
#include "trident/hnsw_search.h"
#include "vector_index_impl.h"
#include "vector_index_omp.h"

namespace trident {
namespace {

// HNSW: a filtered walk at selectivity s computes about kWalkDistancesPerEf * ef / s level-0
// distances (it must find ef allowed nodes), and one exact-scan row (float32 row read at random,
// plus the id -> node lookup) costs about kExactRowCostInWalkDistances of one walk distance
// (which also pays heap and visited-set work). The exact scan goes first when it is expected to
// be cheaper; a walk that computes more than the exact scan's cost in distances is abandoned for
// it. Measured with filter_bench (100K x 128 clustered, M=32, ef 16 and 64): the walk computes
// 7-8 distances per ef at s >= 2%; exact rows cost 30-35 ns, walk distances 60-75 ns; the two
// paths cross near s = 5% at ef 16 and s = 10% at ef 64, which this model reproduces
// (exact first while s <= sqrt(16 * ef / live)).
constexpr double kWalkDistancesPerEf = 8.0;
constexpr double kExactRowCostInWalkDistances = 0.5;
// IVF-Flat, in units of one entry scanned by FAISS 1.7.3's probe (SSE distance + heap; measured
// ~100 ns for 128-d, ~40 us per list of 390): our exhaustive pass tests every entry against the
// filter (~2 ns) and scores the allowed ones with our kernels (~30 ns).
constexpr double kIvfFilterTestCost = 0.02;
constexpr double kIvfExactRowCost = 0.3;
// Flat: gather allowed rows (a hash lookup each) below this share of the rows; above, the block
// scan with a per-row filter test. Measured (bench.sh filtered, Flat, 100K x 128): the block scan
// is memory-bound at 53-60 ns per row (5.3-6 ms per query); a gathered row costs ~25 ns while
// the allowed rows fit in cache (10%) and 60-95 ns as they outgrow it (30-45%): per query 0.25 ms
// at 10%, 1.8 ms at 30%, 4.2 ms at 45%, against 6.1 ms unfiltered.
constexpr double kFlatGatherShareMax = 0.5;
// A node scan (sequential, one filter test each) costs about this many times less per node than
// a hash lookup of an allowed id: gather by lookups when cardinality * ratio < nodes. Estimated
// (~1.5 ns per scanned node, ~4 ns per lookup when warm, up to ~40 cold), not swept.
constexpr double kLookupCostInNodeScans = 16.0;

using RowIndex = int32_t;

// Rows of one float32 array chosen for an exact scan, with the caller id of each.
struct ChosenRows {
  std::vector<RowIndex> rows;
  std::vector<int64_t> ids;
};

// Runs `answer(q)` for every query index in `which` on `threads` OpenMP threads.
template <typename Answer>
void for_each_query(const std::vector<int64_t>& which, int threads, const Answer& answer) {
  std::atomic<bool> failed{false};
  const int64_t count = int64_t(which.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (threads > 1 && count > 1)
  for (int64_t i = 0; i < count; ++i) {
    try {
      answer(which[size_t(i)]);
    } catch (...) {  // exceptions must not cross the OpenMP region
      failed.store(true);
    }
  }
  TRIDENT_CHECK(!failed.load(), ErrorKind::kOutOfMemory, "search: scratch allocation failed");
}

std::vector<int64_t> all_queries(int64_t n) {
  std::vector<int64_t> which(static_cast<size_t>(n));
  for (int64_t q = 0; q < n; ++q) which[size_t(q)] = q;
  return which;
}

// Scores the queries in `which` exactly against `chosen` rows of `base` (dimension floats each).
void exact_search(const float* queries, size_t dimension, const std::vector<int64_t>& which,
                  int k, int threads, bool inner_product, const float* base,
                  const ChosenRows& chosen, float* distances, int64_t* labels) {
  const DistanceKernels& kernels = distance_kernels();
  const auto id_of = [&chosen](size_t i) { return chosen.ids[i]; };
  const auto same = [](int64_t label) { return label; };
  for_each_query(which, threads, [&](int64_t q) {
    TopK top(static_cast<size_t>(k));
    float scratch[kScanChunkRows];
    scan_rows(kernels, inner_product, queries + size_t(q) * dimension, base, dimension,
              chosen.rows.data(), chosen.rows.size(), id_of, top, scratch);
    top.write(inner_product, same, distances + size_t(q) * size_t(k), labels + size_t(q) * size_t(k));
  });
}

// Queries whose row holds fewer than k hits.
std::vector<int64_t> short_rows(int64_t n, int k, const int64_t* labels) {
  std::vector<int64_t> which;
  for (int64_t q = 0; q < n; ++q) {
    if (labels[size_t(q) * size_t(k) + size_t(k) - 1] < 0) which.push_back(q);
  }
  return which;
}

class IdNodeFilter final : public NodeFilter {
 public:
  IdNodeFilter(const IdFilter& filter, const int64_t* node_ids) : filter_(filter), node_ids_(node_ids) {}
  bool accepts(int32_t node) const override { return filter_.contains(node_ids_[node]); }

 private:
  const IdFilter& filter_;
  const int64_t* node_ids_;
};

// FAISS selectors: on caller ids (IVF lists store them), or on rows of an IDMap's inner index.
struct CallerIdSelector final : faiss::IDSelector {
  explicit CallerIdSelector(const IdFilter& f) : filter(f) {}
  bool is_member(idx_t id) const override { return filter.contains(id); }
  const IdFilter& filter;
};

struct RowSelector final : faiss::IDSelector {
  RowSelector(const IdFilter& f, const std::vector<int64_t>& ids) : filter(f), id_map(ids) {}
  bool is_member(idx_t row) const override { return filter.contains(id_map[size_t(row)]); }
  const IdFilter& filter;
  const std::vector<int64_t>& id_map;
};

}  // namespace

void VectorIndexImpl::search_filtered(int64_t n, const float* queries, int k, int ef_search,
                                      int nprobe, int threads, const IdFilter& filter,
                                      float* distances, int64_t* labels) const {
  switch (parsed_.kind) {
    case StructureKind::kHnsw:
      search_hnsw_filtered(n, queries, k, ef_search, threads, filter, distances, labels);
      break;
    case StructureKind::kFlat:
      search_flat_filtered(n, queries, k, threads, filter, distances, labels);
      break;
    case StructureKind::kIvf:
      search_ivf_filtered(n, queries, k, nprobe, threads, filter, distances, labels);
      break;
    case StructureKind::kScalarQuantizer:
      search_sq_filtered(n, queries, k, threads, filter, distances, labels);
      break;
  }
}

void VectorIndexImpl::search_hnsw_filtered(int64_t n, const float* queries, int k, int ef_search,
                                           int threads, const IdFilter& filter, float* distances,
                                           int64_t* labels) const {
  const HnswGraphView view = hnsw_view();
  const int ef = std::max(k, ef_search > 0 ? ef_search : kDefaultEfSearch);
  const size_t live = live_ids_.size();
  const double allowed = double(std::min<int64_t>(filter.cardinality(), int64_t(live)));
  const double exact_cost = allowed * kExactRowCostInWalkDistances;
  const double walk_cost = kWalkDistancesPerEf * ef * double(live) / allowed;

  ChosenRows chosen;  // allowed live nodes, gathered at most once per call
  bool gathered = false;
  const auto gather = [&] {
    if (gathered) return;
    gathered = true;
    chosen.rows.reserve(size_t(allowed));
    chosen.ids.reserve(size_t(allowed));
    if (double(filter.cardinality()) * kLookupCostInNodeScans < double(node_ids_.size())) {
      filter.for_each([&](int64_t id) {
        const auto it = node_of_id_.find(id);
        if (it == node_of_id_.end()) return;
        chosen.rows.push_back(it->second);
        chosen.ids.push_back(id);
      });
    } else {
      for (size_t node = 0; node < node_ids_.size(); ++node) {
        if (is_tombstoned(view.tombstones, node) || !filter.contains(node_ids_[node])) continue;
        chosen.rows.push_back(RowIndex(node));
        chosen.ids.push_back(node_ids_[node]);
      }
    }
  };

  std::vector<int64_t> exact_queries;
  if (exact_cost <= walk_cost) {
    exact_queries = all_queries(n);
  } else {
    const IdNodeFilter node_filter(filter, node_ids_.data());
    const size_t distances_max = size_t(std::ceil(exact_cost));
    std::vector<char> gave_up(size_t(n), 0);
    for_each_query(all_queries(n), threads, [&](int64_t q) {
      float* row_distances = distances + size_t(q) * size_t(k);
      int64_t* row_labels = labels + size_t(q) * size_t(k);
      const int found = hnsw_search_filtered(view, node_filter, distances_max,
                                             queries + size_t(q) * size_t(dimension_), k, ef,
                                             row_distances, row_labels);
      for (int i = 0; i < found; ++i) row_labels[i] = node_ids_[size_t(row_labels[i])];
      if (found < k) gave_up[size_t(q)] = 1;  // or ran out of reachable allowed nodes
    });
    for (int64_t q = 0; q < n; ++q) {
      if (gave_up[size_t(q)] != 0) exact_queries.push_back(q);
    }
  }
  if (exact_queries.empty()) return;
  gather();
  exact_search(queries, size_t(dimension_), exact_queries, k, threads, view.inner_product,
               view.exact_vectors, chosen, distances, labels);
}

void VectorIndexImpl::search_flat_filtered(int64_t n, const float* queries, int k, int threads,
                                           const IdFilter& filter, float* distances,
                                           int64_t* labels) const {
  const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
  const auto& flat = static_cast<const faiss::IndexFlat&>(*mapped.index);
  const size_t rows = size_t(flat.ntotal);
  const double allowed = double(std::min<int64_t>(filter.cardinality(), int64_t(rows)));
  if (allowed > kFlatGatherShareMax * double(rows) ||
      rows > size_t(std::numeric_limits<RowIndex>::max())) {
    search_flat_kernels(n, queries, k, threads, &filter, distances, labels);
    return;
  }
  ChosenRows chosen;
  chosen.rows.reserve(size_t(allowed));
  chosen.ids.reserve(size_t(allowed));
  filter.for_each([&](int64_t id) {
    const auto it = mapped.rev_map.find(id);
    if (it == mapped.rev_map.end()) return;
    chosen.rows.push_back(RowIndex(it->second));
    chosen.ids.push_back(id);
  });
  exact_search(queries, size_t(dimension_), all_queries(n), k, threads, metric_ != kMetricL2,
               flat.get_xb(), chosen, distances, labels);
}

void VectorIndexImpl::search_ivf_filtered(int64_t n, const float* queries, int k, int nprobe,
                                          int threads, const IdFilter& filter, float* distances,
                                          int64_t* labels) const {
  const auto& ivf = static_cast<const faiss::IndexIVF&>(*index_);
  const size_t live = live_ids_.size();
  const double allowed = double(std::min<int64_t>(filter.cardinality(), int64_t(live)));
  const size_t base_nprobe = std::min<size_t>(size_t(nprobe > 0 ? nprobe : kDefaultNprobe), ivf.nlist);
  const size_t scaled_nprobe = size_t(std::min(
      double(ivf.nlist), std::ceil(double(base_nprobe) * double(live) / allowed)));
  const auto* lists = dynamic_cast<const faiss::ArrayInvertedLists*>(ivf.invlists);
  const bool exact_possible = parsed_.pq_subquantizers == 0 && lists != nullptr;
  const CallerIdSelector selector(filter);
  const auto faiss_search = [&](int64_t count, const float* x, size_t probe, float* d, int64_t* l) {
    OmpThreadsScope omp_scope(threads);
    faiss::SearchParametersIVF params;
    params.nprobe = probe;
    params.sel = const_cast<CallerIdSelector*>(&selector);  // FAISS only reads it
    ivf.search(count, x, k, d, l, &params);
  };

  const double probe_cost = double(scaled_nprobe) / double(ivf.nlist) * double(live);
  const double exact_cost = kIvfFilterTestCost * double(live) + kIvfExactRowCost * allowed;
  std::vector<int64_t> exhaustive;
  if (exact_possible && exact_cost <= probe_cost) {
    exhaustive = all_queries(n);
  } else {
    faiss_search(n, queries, scaled_nprobe, distances, labels);
    exhaustive = short_rows(n, k, labels);
  }
  if (exhaustive.empty()) return;
  if (!exact_possible) {  // IVF-PQ: FAISS scans every list (codes are all it has)
    for (const int64_t q : exhaustive) {
      faiss_search(1, queries + size_t(q) * size_t(dimension_), ivf.nlist,
                   distances + size_t(q) * size_t(k), labels + size_t(q) * size_t(k));
    }
    return;
  }
  // IVF-Flat codes are the vectors: score the allowed entries of every list exactly. The entries
  // are chosen once per call, then every query scans them list by list.
  struct ListRows {
    const float* vectors;
    size_t begin, end;  // range in chosen
  };
  std::vector<ListRows> groups;
  ChosenRows chosen;
  for (size_t list = 0; list < ivf.nlist; ++list) {
    const size_t size = lists->list_size(list);
    const faiss::Index::idx_t* ids = lists->get_ids(list);
    const size_t begin = chosen.rows.size();
    for (size_t j = 0; j < size; ++j) {
      if (!filter.contains(ids[j])) continue;
      chosen.rows.push_back(RowIndex(j));
      chosen.ids.push_back(ids[j]);
    }
    if (chosen.rows.size() > begin) {
      groups.push_back({reinterpret_cast<const float*>(lists->get_codes(list)), begin, chosen.rows.size()});
    }
  }
  const DistanceKernels& kernels = distance_kernels();
  const bool inner_product = metric_ != kMetricL2;
  const auto same = [](int64_t label) { return label; };
  for_each_query(exhaustive, threads, [&](int64_t q) {
    TopK top(static_cast<size_t>(k));
    float scratch[kScanChunkRows];
    for (const ListRows& group : groups) {
      const auto id_of = [&](size_t i) { return chosen.ids[group.begin + i]; };
      scan_rows(kernels, inner_product, queries + size_t(q) * size_t(dimension_), group.vectors,
                size_t(dimension_), chosen.rows.data() + group.begin, group.end - group.begin,
                id_of, top, scratch);
    }
    top.write(inner_product, same, distances + size_t(q) * size_t(k), labels + size_t(q) * size_t(k));
  });
}

void VectorIndexImpl::search_sq_filtered(int64_t n, const float* queries, int k, int threads,
                                         const IdFilter& filter, float* distances,
                                         int64_t* labels) const {
  const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
  const RowSelector selector(filter, mapped.id_map);
  faiss::SearchParameters params;
  params.sel = const_cast<RowSelector*>(&selector);  // FAISS only reads it
  {
    OmpThreadsScope omp_scope(threads);
    mapped.index->search(n, queries, k, distances, labels, &params);
  }
  const size_t slots = size_t(n) * size_t(k);
  for (size_t i = 0; i < slots; ++i) {
    if (labels[i] >= 0) labels[i] = mapped.id_map[size_t(labels[i])];
  }
}

}  // namespace trident
