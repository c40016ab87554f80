// Data for hnsw_bench: a clustered synthetic set (same model as the Java bench's
// ClusteredDataGenerator: 1000 centres N(0, 6^2), a 12-direction latent subspace per cluster
// with spread U(2, 5), isotropic noise 0.5, log-normal cluster weights; not bit-identical to
// it), or .fvecs files; and exact ground truth.
#pragma once

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "trident/distance.h"

namespace trident::bench {

struct ClusteredModel {
  static constexpr int kLatent = 12;
  int dimension;
  std::vector<float> centres, bases;
  std::vector<double> cumulative_weights;

  ClusteredModel(int d, int clusters, uint64_t seed) : dimension(d) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    centres.resize(size_t(clusters) * d);
    bases.resize(size_t(clusters) * kLatent * d);
    double sum = 0;
    for (int c = 0; c < clusters; ++c) {
      for (int i = 0; i < d; ++i) centres[size_t(c) * d + i] = float(gauss(rng) * 6.0);
      const double spread = 2.0 + uniform(rng) * 3.0;
      for (int l = 0; l < kLatent; ++l) {
        for (int i = 0; i < d; ++i) {
          bases[(size_t(c) * kLatent + l) * d + i] = float(gauss(rng) * spread / std::sqrt(double(kLatent)));
        }
      }
      sum += std::exp(gauss(rng) * 0.7);
      cumulative_weights.push_back(sum);
    }
    for (double& w : cumulative_weights) w /= sum;
  }

  std::vector<float> sample(size_t count, uint64_t stream_seed) const {
    std::mt19937_64 rng(stream_seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<float> rows(count * dimension);
    double latent[kLatent];
    for (size_t r = 0; r < count; ++r) {
      const size_t c = size_t(std::lower_bound(cumulative_weights.begin(), cumulative_weights.end(),
                                               uniform(rng)) - cumulative_weights.begin());
      for (double& v : latent) v = gauss(rng);
      for (int i = 0; i < dimension; ++i) {
        double value = centres[c * dimension + i] + gauss(rng) * 0.5;
        for (int l = 0; l < kLatent; ++l) value += latent[l] * bases[(c * kLatent + l) * dimension + i];
        rows[r * dimension + i] = float(value);
      }
    }
    return rows;
  }
};

// Reads an .fvecs file (each row: int32 dimension, then that many floats).
inline std::vector<float> read_fvecs(const std::string& path, int* dimension, size_t limit) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path);
  std::vector<float> rows;
  int d = 0;
  while (rows.size() / std::max(d, 1) < limit && std::fread(&d, 4, 1, f) == 1) {
    const size_t at = rows.size();
    rows.resize(at + size_t(d));
    if (std::fread(rows.data() + at, 4, size_t(d), f) != size_t(d)) break;
  }
  std::fclose(f);
  *dimension = d;
  return rows;
}

// Exact k nearest (squared L2) of each query, brute force with our kernels on all cores.
inline std::vector<int64_t> exact_knn(const std::vector<float>& base, const std::vector<float>& queries,
                                      int dimension, int k) {
  const size_t n = base.size() / dimension, nq = queries.size() / dimension;
  std::vector<int64_t> truth(nq * k);
  const DistanceKernels& kernels = distance_kernels();
#pragma omp parallel for schedule(dynamic, 4)
  for (size_t q = 0; q < nq; ++q) {
    std::vector<float> distances(n);
    kernels.l2_squared_rows(queries.data() + q * dimension, base.data(), dimension, n, distances.data());
    std::vector<std::pair<float, int64_t>> scored(n);
    for (size_t i = 0; i < n; ++i) scored[i] = {distances[i], int64_t(i)};
    std::partial_sort(scored.begin(), scored.begin() + k, scored.end());
    for (int i = 0; i < k; ++i) truth[q * k + i] = scored[i].second;
  }
  return truth;
}

inline double recall(const std::vector<int64_t>& truth, const std::vector<int64_t>& found, int k) {
  size_t hits = 0;
  for (size_t q = 0; q < truth.size() / k; ++q) {
    for (int i = 0; i < k; ++i) {
      for (int j = 0; j < k; ++j) hits += found[q * k + i] == truth[q * k + j] ? 1 : 0;
    }
  }
  return double(hits) / double(truth.size());
}

}  // namespace trident::bench
