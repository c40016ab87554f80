// Every SIMD variant the CPU supports equals the double-precision reference and FAISS's own
// fvec_L2sqr / fvec_inner_product within float tolerance, for many (odd) dimensions.
#include <faiss/utils/distances.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "trident/distance.h"

namespace trident {
namespace {

std::vector<SimdLevel> supported_levels() {
  std::vector<SimdLevel> levels = {SimdLevel::kScalar};
  if (detected_simd_level() >= SimdLevel::kAvx2) levels.push_back(SimdLevel::kAvx2);
  if (detected_simd_level() >= SimdLevel::kAvx512) levels.push_back(SimdLevel::kAvx512);
  return levels;
}

std::vector<size_t> dimensions_to_test() {
  std::vector<size_t> dims;
  for (size_t d = 1; d <= 70; ++d) dims.push_back(d);
  for (size_t d : {96, 100, 127, 128, 129, 255, 256, 257, 384, 511, 768, 999, 1000}) dims.push_back(d);
  return dims;
}

double reference_l2(const float* x, const float* y, size_t d) {
  double s = 0;
  for (size_t i = 0; i < d; ++i) s += (double(x[i]) - y[i]) * (double(x[i]) - y[i]);
  return s;
}

double reference_ip(const float* x, const float* y, size_t d) {
  double s = 0;
  for (size_t i = 0; i < d; ++i) s += double(x[i]) * y[i];
  return s;
}

// Tolerance: float accumulation error grows with d and with the magnitude of the terms.
double tolerance(const float* x, const float* y, size_t d) {
  double magnitude = 0;
  for (size_t i = 0; i < d; ++i) magnitude += std::fabs(double(x[i]) * y[i]) + double(x[i]) * x[i] + double(y[i]) * y[i];
  return 1e-5 * magnitude + 1e-6;
}

class DistanceKernelsTest : public ::testing::TestWithParam<SimdLevel> {};

TEST_P(DistanceKernelsTest, SingleMatchesReferenceAndFaiss) {
  const DistanceKernels& k = distance_kernels_for(GetParam());
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> value(-3.0f, 3.0f);
  for (size_t d : dimensions_to_test()) {
    std::vector<float> x(d), y(d);
    for (size_t i = 0; i < d; ++i) { x[i] = value(rng); y[i] = value(rng); }
    const double tol = tolerance(x.data(), y.data(), d);
    EXPECT_NEAR(k.l2_squared(x.data(), y.data(), d), reference_l2(x.data(), y.data(), d), tol) << "d=" << d;
    EXPECT_NEAR(k.inner_product(x.data(), y.data(), d), reference_ip(x.data(), y.data(), d), tol) << "d=" << d;
    EXPECT_NEAR(k.l2_squared(x.data(), y.data(), d), faiss::fvec_L2sqr(x.data(), y.data(), d), tol) << "d=" << d;
    EXPECT_NEAR(k.inner_product(x.data(), y.data(), d), faiss::fvec_inner_product(x.data(), y.data(), d), tol) << "d=" << d;
  }
}

TEST_P(DistanceKernelsTest, BatchedFormsMatchSingle) {
  const DistanceKernels& k = distance_kernels_for(GetParam());
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  for (size_t d : dimensions_to_test()) {
    const size_t rows = 11;  // odd: exercises the 4-way groups and the remainder
    std::vector<float> base(rows * d), query(d);
    for (float& v : base) v = value(rng);
    for (float& v : query) v = value(rng);
    std::vector<int32_t> ids = {7, 3, 10, 0, 0, 5, 9, 1, 2, 8, 4};
    std::vector<float> by_ids_l2(rows), by_ids_ip(rows), rows_l2(rows), rows_ip(rows), four(4);
    k.l2_squared_by_ids(query.data(), base.data(), d, d, ids.data(), rows, by_ids_l2.data());
    k.inner_product_by_ids(query.data(), base.data(), d, d, ids.data(), rows, by_ids_ip.data());
    k.l2_squared_rows(query.data(), base.data(), d, rows, rows_l2.data());
    k.inner_product_rows(query.data(), base.data(), d, rows, rows_ip.data());
    for (size_t j = 0; j < rows; ++j) {
      const float* row = base.data() + size_t(ids[j]) * d;
      const double tol = tolerance(query.data(), row, d);
      EXPECT_NEAR(by_ids_l2[j], reference_l2(query.data(), row, d), tol) << "d=" << d;
      EXPECT_NEAR(by_ids_ip[j], reference_ip(query.data(), row, d), tol) << "d=" << d;
      const float* plain = base.data() + j * d;
      const double tol_plain = tolerance(query.data(), plain, d);
      EXPECT_NEAR(rows_l2[j], reference_l2(query.data(), plain, d), tol_plain) << "d=" << d;
      EXPECT_NEAR(rows_ip[j], reference_ip(query.data(), plain, d), tol_plain) << "d=" << d;
    }
    k.l2_squared_4(query.data(), base.data(), base.data() + d, base.data() + 2 * d, base.data() + 3 * d, d, four.data());
    for (size_t j = 0; j < 4; ++j) {
      EXPECT_NEAR(four[j], reference_l2(query.data(), base.data() + j * d, d),
                  tolerance(query.data(), base.data() + j * d, d));
    }
  }
}

TEST_P(DistanceKernelsTest, ByIdsHonoursRowStride) {
  const DistanceKernels& k = distance_kernels_for(GetParam());
  std::mt19937 rng(13);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  for (size_t d : {size_t(5), size_t(16), size_t(100), size_t(128), size_t(131)}) {
    const size_t stride = d + 7, rows = 9;  // rows embedded in larger blocks, as in the HNSW layout
    std::vector<float> blocks(rows * stride), query(d), out(rows);
    for (float& v : blocks) v = value(rng);
    for (float& v : query) v = value(rng);
    std::vector<int32_t> ids = {8, 1, 4, 4, 0, 2, 7, 3, 6};
    k.l2_squared_by_ids(query.data(), blocks.data(), stride, d, ids.data(), rows, out.data());
    for (size_t j = 0; j < rows; ++j) {
      const float* row = blocks.data() + size_t(ids[j]) * stride;
      EXPECT_NEAR(out[j], reference_l2(query.data(), row, d), tolerance(query.data(), row, d)) << "d=" << d;
    }
  }
}

TEST_P(DistanceKernelsTest, HalfRowsMatchReferenceOnRoundedValues) {
  const DistanceKernels& k = distance_kernels_for(GetParam());
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> value(-20.0f, 20.0f);
  for (size_t d : dimensions_to_test()) {
    const size_t stride = d + 3, rows = 7;
    std::vector<uint16_t> halves(rows * stride);
    std::vector<float> rounded(rows * d), query(d), l2(rows), ip(rows);
    for (size_t r = 0; r < rows; ++r) {
      for (size_t i = 0; i < d; ++i) {
        halves[r * stride + i] = float_to_half(value(rng));
        rounded[r * d + i] = half_to_float(halves[r * stride + i]);
      }
    }
    for (float& v : query) v = value(rng);
    std::vector<int32_t> ids = {6, 0, 3, 3, 5, 1, 2};
    k.l2_squared_f16_by_ids(query.data(), halves.data(), stride, d, ids.data(), rows, l2.data());
    k.inner_product_f16_by_ids(query.data(), halves.data(), stride, d, ids.data(), rows, ip.data());
    for (size_t j = 0; j < rows; ++j) {
      const float* row = rounded.data() + size_t(ids[j]) * d;
      const double tol = tolerance(query.data(), row, d);
      EXPECT_NEAR(l2[j], reference_l2(query.data(), row, d), tol) << "d=" << d;
      EXPECT_NEAR(ip[j], reference_ip(query.data(), row, d), tol) << "d=" << d;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SupportedLevels, DistanceKernelsTest, ::testing::ValuesIn(supported_levels()),
                         [](const auto& info) { return std::string(simd_level_name(info.param)); });

TEST(HalfPrecision, ConversionsRoundToNearestAndSaturate) {
  EXPECT_EQ(float_to_half(1.0f), 0x3C00);
  EXPECT_EQ(float_to_half(-2.0f), 0xC000);
  EXPECT_EQ(float_to_half(65504.0f), 0x7BFF);
  EXPECT_EQ(float_to_half(1e6f), 0x7C00);        // overflow -> +inf
  EXPECT_EQ(float_to_half(5.9604645e-8f), 0x0001);  // smallest subnormal
  EXPECT_EQ(float_to_half(0.0f), 0x0000);
  EXPECT_EQ(half_to_float(0x3555), 0.333251953125f);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> value(-60000.0f, 60000.0f);
  for (int i = 0; i < 10000; ++i) {
    const float x = value(rng) / float(1 << (i % 20));
    const float back = half_to_float(float_to_half(x));
    EXPECT_LE(std::fabs(back - x), std::fabs(x) * (1.0f / 2048.0f) + 6e-8f) << x;
  }
  for (uint32_t h = 0; h < 0x7C00; ++h) {  // every finite positive half survives a round trip
    ASSERT_EQ(float_to_half(half_to_float(uint16_t(h))), h);
  }
}

TEST(DistanceKernelsChoice, ChosenTableMatchesDetectedLevel) {
  EXPECT_STREQ(distance_kernels().name, simd_level_name(detected_simd_level()));
}

}  // namespace
}  // namespace trident
