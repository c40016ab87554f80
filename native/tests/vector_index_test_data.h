// Deterministic test data for the vector-index tests: Gaussian clusters, seeded.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "trident/vector_index.h"

namespace trident::testing {

// Owns an index made by VectorIndex::create/load; frees it with destroy_vector_index.
using IndexPtr = std::unique_ptr<VectorIndex, void (*)(VectorIndex*)>;

inline IndexPtr own(VectorIndex* index) { return IndexPtr(index, &destroy_vector_index); }

// n vectors of `dimension` floats around `clusters` random centres (spread 1, centres in
// [-5, 5]); the same seed gives the same data.
inline std::vector<float> clustered_vectors(size_t n, size_t dimension, size_t clusters,
                                            uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> centre(-5.0f, 5.0f);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::vector<float> centres(clusters * dimension);
  for (float& c : centres) c = centre(rng);
  std::vector<float> data(n * dimension);
  for (size_t i = 0; i < n; ++i) {
    const size_t c = rng() % clusters;
    for (size_t j = 0; j < dimension; ++j) data[i * dimension + j] = centres[c * dimension + j] + noise(rng);
  }
  return data;
}

// Exact k nearest rows of base (squared L2), best first, for each query.
inline std::vector<int64_t> exact_neighbours(const std::vector<float>& base,
                                             const std::vector<float>& queries, size_t dimension,
                                             size_t k) {
  const size_t n = base.size() / dimension, nq = queries.size() / dimension;
  std::vector<int64_t> out(nq * k);
  std::vector<std::pair<float, int64_t>> scored(n);
  for (size_t q = 0; q < nq; ++q) {
    for (size_t i = 0; i < n; ++i) {
      float s = 0;
      for (size_t j = 0; j < dimension; ++j) {
        const float d = queries[q * dimension + j] - base[i * dimension + j];
        s += d * d;
      }
      scored[i] = {s, int64_t(i)};
    }
    std::partial_sort(scored.begin(), scored.begin() + k, scored.end());
    for (size_t i = 0; i < k; ++i) out[q * k + i] = scored[i].second;
  }
  return out;
}

// Fraction of the true k nearest found among the k returned (labels mapped by `to_row`).
template <typename ToRow>
inline double recall_at_k(const std::vector<int64_t>& truth, const std::vector<int64_t>& found,
                          size_t k, ToRow to_row) {
  size_t hits = 0;
  const size_t nq = truth.size() / k;
  for (size_t q = 0; q < nq; ++q) {
    for (size_t i = 0; i < k; ++i) {
      const int64_t label = found[q * k + i];
      if (label < 0) continue;
      const int64_t row = to_row(label);
      for (size_t j = 0; j < k; ++j) hits += truth[q * k + j] == row ? 1 : 0;
    }
  }
  return double(hits) / double(nq * k);
}

// Squared L2 distance (or inner product when ip) of two d-float vectors in double precision.
inline double exact_distance(const float* x, const float* y, size_t d, bool ip) {
  double sum = 0;
  for (size_t j = 0; j < d; ++j) {
    const double diff = double(x[j]) - y[j];
    sum += ip ? double(x[j]) * y[j] : diff * diff;
  }
  return sum;
}

}  // namespace trident::testing
