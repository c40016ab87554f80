#include "trident/hnsw_storage.h"

#include <faiss/impl/FaissAssert.h>

#include "trident/distance.h"

namespace trident {
namespace {

// Distances for FAISS's construction code. Inner product is returned as is: FAISS's HNSW wraps
// the computer in its own negation for METRIC_INNER_PRODUCT.
class KernelDistanceComputer : public faiss::FlatCodesDistanceComputer {
 public:
  explicit KernelDistanceComputer(const faiss::IndexFlat& storage)
      : faiss::FlatCodesDistanceComputer(storage.codes.data(), storage.code_size),
        vectors_(storage.get_xb()),
        dimension_(static_cast<size_t>(storage.d)),
        inner_product_(storage.metric_type == faiss::METRIC_INNER_PRODUCT),
        kernels_(distance_kernels()) {}

  void set_query(const float* x) override { query_ = x; }

  float distance_to_code(const uint8_t* code) override {
    return distance(query_, reinterpret_cast<const float*>(code));
  }

  float symmetric_dis(idx_t i, idx_t j) override {
    return distance(vectors_ + i * dimension_, vectors_ + j * dimension_);
  }

 private:
  float distance(const float* x, const float* y) const {
    return inner_product_ ? kernels_.inner_product(x, y, dimension_)
                          : kernels_.l2_squared(x, y, dimension_);
  }

  const float* vectors_;
  size_t dimension_;
  bool inner_product_;
  const DistanceKernels& kernels_;
  const float* query_ = nullptr;
};

}  // namespace

KernelFlatStorage::KernelFlatStorage(int dimension, faiss::MetricType metric)
    : faiss::IndexFlat(dimension, metric) {}

faiss::FlatCodesDistanceComputer* KernelFlatStorage::get_FlatCodesDistanceComputer() const {
  return new KernelDistanceComputer(*this);
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
