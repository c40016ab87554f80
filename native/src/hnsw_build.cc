#include "hnsw_build.h"

#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/DistanceComputer.h>
#include <faiss/impl/FaissAssert.h>
#include <faiss/utils/random.h>
#include <omp.h>  // omp_lock_t: FAISS's per-node locks (plain mutexes, any thread)

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace trident {
namespace {

constexpr int kInsertChunk = 16;  // points a worker takes at a time
constexpr int kParallelMinPoints = 100;  // smaller levels run on one thread (as FAISS does)

// HNSW minimises distances: inner products are negated (as FAISS's own add does).
class NegatedComputer : public faiss::DistanceComputer {
 public:
  explicit NegatedComputer(faiss::DistanceComputer* base) : base_(base) {}
  void set_query(const float* x) override { base_->set_query(x); }
  float operator()(idx_t i) override { return -(*base_)(i); }
  float symmetric_dis(idx_t i, idx_t j) override { return -base_->symmetric_dis(i, j); }

 private:
  std::unique_ptr<faiss::DistanceComputer> base_;
};

faiss::DistanceComputer* construction_computer(const faiss::Index& storage) {
  faiss::DistanceComputer* plain = storage.get_distance_computer();
  if (storage.metric_type == faiss::METRIC_INNER_PRODUCT) return new NegatedComputer(plain);
  return plain;
}

class NodeLocks {
 public:
  explicit NodeLocks(size_t count) : locks_(count) {
    for (auto& lock : locks_) omp_init_lock(&lock);
  }
  ~NodeLocks() {
    for (auto& lock : locks_) omp_destroy_lock(&lock);
  }
  std::vector<omp_lock_t>& get() { return locks_; }

 private:
  std::vector<omp_lock_t> locks_;
};

}  // namespace

void hnsw_add_parallel(faiss::IndexHNSW& index, faiss::Index::idx_t n, const float* vectors,
                       int threads) {
  FAISS_THROW_IF_NOT_MSG(index.storage != nullptr, "HNSW index without storage");
  FAISS_THROW_IF_NOT(index.is_trained);
  if (n <= 0) return;
  faiss::HNSW& hnsw = index.hnsw;
  const size_t first = size_t(index.ntotal);
  index.storage->add(n, vectors);
  index.ntotal = index.storage->ntotal;
  const size_t total = size_t(index.ntotal);
  hnsw.prepare_level_tab(size_t(n), hnsw.levels.size() == total);

  // Points bucketed by level (0-based), lowest level first.
  std::vector<int> per_level;
  for (size_t i = first; i < total; ++i) {
    const size_t level = size_t(hnsw.levels[i] - 1);
    if (level >= per_level.size()) per_level.resize(level + 1, 0);
    ++per_level[level];
  }
  std::vector<int> start(per_level.size() + 1, 0);
  for (size_t l = 0; l < per_level.size(); ++l) start[l + 1] = start[l] + per_level[l];
  std::vector<int> order(static_cast<size_t>(n));
  {
    std::vector<int> cursor(start.begin(), start.end() - 1);
    for (size_t i = first; i < total; ++i) {
      order[size_t(cursor[size_t(hnsw.levels[i] - 1)]++)] = int(i);
    }
  }

  NodeLocks locks(total);
  faiss::RandomGenerator shuffle(789);
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  for (int level = int(per_level.size()) - 1; level >= 0; --level) {
    const int begin = start[size_t(level)], end = start[size_t(level) + 1];
    for (int j = begin; j < end; ++j) {
      std::swap(order[size_t(j)], order[size_t(j + shuffle.rand_int(end - j))]);
    }
    std::atomic<int> next{begin};
    // One worker: grabs kInsertChunk points at a time until the level is done. Exceptions are
    // recorded once; every worker then stops taking points.
    auto work = [&] {
      try {
        faiss::VisitedTable visited(static_cast<int>(total));
        std::unique_ptr<faiss::DistanceComputer> computer(construction_computer(*index.storage));
        for (;;) {
          const int from = next.fetch_add(kInsertChunk, std::memory_order_relaxed);
          if (from >= end || failed.load(std::memory_order_relaxed)) break;
          for (int j = from; j < std::min(end, from + kInsertChunk); ++j) {
            const int node = order[size_t(j)];
            computer->set_query(vectors + (size_t(node) - first) * size_t(index.d));
            hnsw.add_with_locks(*computer, level, node, locks.get(), visited);
          }
        }
      } catch (...) {
        std::lock_guard<std::mutex> guard(error_mutex);
        if (!failed.exchange(true)) error = std::current_exception();
      }
    };
    const int team = end - begin > kParallelMinPoints ? std::max(1, threads) : 1;
    std::vector<std::thread> helpers;
    for (int t = 1; t < team; ++t) {
      try {
        helpers.emplace_back(work);
      } catch (const std::system_error&) {
        break;  // no more threads available: the ones running (and this one) do the level
      }
    }
    work();
    for (auto& helper : helpers) helper.join();
    if (failed.load()) std::rethrow_exception(error);
  }
}

}  // namespace trident
