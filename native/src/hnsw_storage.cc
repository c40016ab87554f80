#include "trident/hnsw_storage.h"

#include <cstddef>

#include <faiss/impl/FaissAssert.h>

#include "trident/distance.h"

namespace trident {
namespace {

// Distances for FAISS's construction code. Inner product is returned as is: FAISS's HNSW wraps
// the computer in its own negation for METRIC_INNER_PRODUCT.
class KernelDistanceComputer : public faiss::FlatCodesDistanceComputer {
 public:
  // halves: the storage's half copy (row-major, d per row), or null for float32 rows.
  KernelDistanceComputer(const faiss::IndexFlat& storage, const uint16_t* halves)
      : faiss::FlatCodesDistanceComputer(storage.codes.data(), storage.code_size),
        vectors_(storage.get_xb()),
        halves_(halves),
        dimension_(static_cast<size_t>(storage.d)),
        inner_product_(storage.metric_type == faiss::METRIC_INNER_PRODUCT),
        kernels_(distance_kernels()) {}

  void set_query(const float* x) override { query_ = x; }

  float distance_to_code(const uint8_t* code) override {
    if (halves_ != nullptr) {
      const auto row = reinterpret_cast<const float*>(code) - vectors_;
      return half_distance(query_, int32_t(row / std::ptrdiff_t(dimension_)));
    }
    return distance(query_, reinterpret_cast<const float*>(code));
  }

  float symmetric_dis(idx_t i, idx_t j) override {
    if (halves_ != nullptr) return half_distance(vectors_ + i * dimension_, int32_t(j));
    return distance(vectors_ + i * dimension_, vectors_ + j * dimension_);
  }

 private:
  float half_distance(const float* x, int32_t row) const {
    float out;
    if (inner_product_) {
      kernels_.inner_product_f16_by_ids(x, halves_, dimension_, dimension_, &row, 1, &out);
    } else {
      kernels_.l2_squared_f16_by_ids(x, halves_, dimension_, dimension_, &row, 1, &out);
    }
    return out;
  }

  float distance(const float* x, const float* y) const {
    return inner_product_ ? kernels_.inner_product(x, y, dimension_)
                          : kernels_.l2_squared(x, y, dimension_);
  }

  const float* vectors_;
  const uint16_t* halves_;
  size_t dimension_;
  bool inner_product_;
  const DistanceKernels& kernels_;
  const float* query_ = nullptr;
};

}  // namespace

KernelFlatStorage::KernelFlatStorage(int dimension, faiss::MetricType metric)
    : faiss::IndexFlat(dimension, metric) {}

faiss::FlatCodesDistanceComputer* KernelFlatStorage::get_FlatCodesDistanceComputer() const {
  return new KernelDistanceComputer(*this, half_build_ ? build_halves_.data() : nullptr);
}

void KernelFlatStorage::add(faiss::Index::idx_t n, const float* x) {
  if (half_build_) build_halves_.reserve(size_t(ntotal + n) * size_t(d));  // may throw: no change
  faiss::IndexFlat::add(n, x);
  if (half_build_) append_halves(x, size_t(n));
}

void KernelFlatStorage::begin_half_build() {
  std::vector<uint16_t> halves;
  halves.reserve(size_t(ntotal) * size_t(d));
  build_halves_.swap(halves);
  append_halves(get_xb(), size_t(ntotal));
  half_build_ = true;
}

void KernelFlatStorage::end_half_build() noexcept {
  half_build_ = false;
  std::vector<uint16_t>().swap(build_halves_);
}

void KernelFlatStorage::append_halves(const float* rows, size_t count) {
  const size_t values = count * size_t(d);
  for (size_t i = 0; i < values; ++i) build_halves_.push_back(float_to_half(rows[i]));
}

void adopt_kernel_storage(faiss::IndexHNSWFlat* index) {
  auto* plain = dynamic_cast<faiss::IndexFlat*>(index->storage);
  FAISS_THROW_IF_NOT_MSG(plain != nullptr, "HNSW storage is not a flat index");
  if (dynamic_cast<KernelFlatStorage*>(plain) != nullptr) return;
  auto* replacement = new KernelFlatStorage(static_cast<int>(plain->d), plain->metric_type);
  replacement->codes.swap(plain->codes);
  replacement->ntotal = plain->ntotal;
  if (index->own_fields) delete plain;
  index->storage = replacement;
  index->own_fields = true;
}

}  // namespace trident
