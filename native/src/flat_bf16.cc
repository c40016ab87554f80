// Packing, availability and the search driver of the bf16 flat path (see flat_bf16.h). The
// AVX512-BF16 arithmetic is in flat_bf16_avx512bf16.cc; this file is baseline x86-64.
#include "flat_bf16.h"


#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#include "exact_scan.h"
#include "vector_index_omp.h"
#include "trident/cpu_features.h"
#include "trident/distance.h"

namespace trident {
namespace {

// Blocks scored per kernel call: 64 x 16 rows (256 KiB of bf16 at d = 128) stay in L2 while
// every query tile of the slice reads them.
constexpr size_t kChunkBlocks = 64;
constexpr double kUnitRoundoffBf16 = 1.0 / 256.0;          // 2^-8
constexpr double kUnitRoundoffFloat = 1.0 / 16777216.0;    // 2^-24

// Per-query state of a scan: the k smallest upper bounds (max-heap) and the candidates.
struct Collector {
  size_t k;
  std::vector<float> upper_heap;
  std::vector<std::pair<float, int32_t>> candidates;  // (lower bound, row)
};

// Writes the bf16 pairs of x (odd dimension: the last pair's high half is 0) to out[j * stride];
// returns |x|^2 in double precision.
double pack_pairs(const float* x, size_t dimension, uint32_t* out, size_t stride) {
  double squared = 0;
  for (size_t j = 0; j < (dimension + 1) / 2; ++j) {
    const float even = x[2 * j];
    const float odd = 2 * j + 1 < dimension ? x[2 * j + 1] : 0.0f;
    out[j * stride] = uint32_t(float_to_bf16(even)) | (uint32_t(float_to_bf16(odd)) << 16);
    squared += double(even) * even + double(odd) * odd;
  }
  return squared;
}

void accept(Bf16ScanQuery* query, size_t first_row, uint32_t lane_mask, const float* lower,
            const float* upper) {
  auto& collector = *static_cast<Collector*>(query->collector);
  auto& heap = collector.upper_heap;
  for (uint32_t mask = lane_mask; mask != 0; mask &= mask - 1) {
    const int lane = __builtin_ctz(mask);
    if (lower[lane] > query->threshold) continue;  // threshold fell within this block
    collector.candidates.emplace_back(lower[lane], int32_t(first_row + size_t(lane)));
    if (heap.size() < collector.k) {
      heap.push_back(upper[lane]);
      std::push_heap(heap.begin(), heap.end());
    } else if (upper[lane] < heap.front()) {
      std::pop_heap(heap.begin(), heap.end());
      heap.back() = upper[lane];
      std::push_heap(heap.begin(), heap.end());
    }
    if (heap.size() == collector.k) query->threshold = heap.front();
  }
}

}  // namespace

bool bf16_flat_available() {
  static const bool available = [] {
    if (const char* off = std::getenv("TRIDENT_FLAT_BF16")) {
      if (std::strcmp(off, "off") == 0) return false;
    }
    return cpu_has_avx512_bf16();
  }();
  return available;
}

uint16_t float_to_bf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return uint16_t((bits >> 16) | 0x40u);  // quiet NaN
  bits += 0x7FFFu + ((bits >> 16) & 1u);
  return uint16_t(bits >> 16);
}

size_t Bf16FlatCopy::bytes() const {
  return blocks_.capacity() * 4 + (norm_.capacity() + norm_squared_.capacity()) * 4;
}

void Bf16FlatCopy::repack(const float* rows, size_t count, size_t dimension) {
  blocks_.clear();
  norm_.clear();
  norm_squared_.clear();
  rows_ = 0;
  dimension_ = dimension;
  pairs_ = (dimension + 1) / 2;
  append(rows, count, dimension);
}

void Bf16FlatCopy::append(const float* rows, size_t count, size_t dimension) {
  if (rows_ == 0) {
    dimension_ = dimension;
    pairs_ = (dimension + 1) / 2;
  }
  const size_t total = rows_ + count;
  const size_t blocks = (total + kBf16BlockRows - 1) / kBf16BlockRows;
  blocks_.resize(blocks * pairs_ * kBf16BlockRows, 0);  // throws before anything changes
  norm_.resize(blocks * kBf16BlockRows, 0.0f);
  norm_squared_.resize(blocks * kBf16BlockRows, 0.0f);
  for (size_t i = 0; i < count; ++i) {
    const size_t row = rows_ + i;
    const float* x = rows + i * dimension;
    uint32_t* block = blocks_.data() + (row / kBf16BlockRows) * pairs_ * kBf16BlockRows;
    const double squared = pack_pairs(x, dimension, block + row % kBf16BlockRows, kBf16BlockRows);
    norm_squared_[row] = float(squared);
    norm_[row] = float(std::sqrt(squared));
  }
  rows_ = total;
}

void Bf16FlatCopy::search(int64_t n, const float* queries, int k, bool inner_product,
                          const float* base, int threads, float* distances,
                          int64_t* rows_out) const {
  const double u = kUnitRoundoffBf16;
  const double product_error =
      2.0 * (2.0 * u + u * u + double(dimension_ + 2) * kUnitRoundoffFloat) * 1.01;
  const float c_product = float(product_error);
  const float c_norm = float(4.0 * kUnitRoundoffFloat);
  const size_t block_count = (rows_ + kBf16BlockRows - 1) / kBf16BlockRows;
  const DistanceKernels& kernels = distance_kernels();
  const bool done = for_each_query_slice(n, threads, [&](int64_t first, int64_t last) {
    const size_t count = size_t(last - first);
    std::vector<uint32_t> pairs(count * pairs_);
    std::vector<Collector> collectors(count);
    std::vector<Bf16ScanQuery> scan(count);
    for (size_t q = 0; q < count; ++q) {
      const float* query = queries + size_t(first + int64_t(q)) * dimension_;
      const double squared = pack_pairs(query, dimension_, pairs.data() + q * pairs_, 1);
      collectors[q].k = size_t(k);
      collectors[q].upper_heap.reserve(size_t(k));
      scan[q] = {pairs.data() + q * pairs_, float(std::sqrt(squared)), float(squared),
                 std::numeric_limits<float>::infinity(), &collectors[q]};
    }
    for (size_t b = 0; b < block_count; b += kChunkBlocks) {
      bf16_scan_blocks(scan.data(), int(count), blocks_.data(), pairs_, b,
                       std::min(block_count, b + kChunkBlocks), rows_, norm_.data(),
                       norm_squared_.data(), c_product, c_norm, inner_product, &accept);
    }
    // Re-rank: exact float32 distances of the candidates that can still be in the top k.
    for (size_t q = 0; q < count; ++q) {
      const size_t query = size_t(first + int64_t(q));
      rerank_candidates(kernels, inner_product, queries + query * dimension_, base, dimension_,
                        collectors[q].candidates, scan[q].threshold, size_t(k),
                        distances + query * size_t(k), rows_out + query * size_t(k));
    }
  });
  if (!done) throw std::bad_alloc();
}

}  // namespace trident
