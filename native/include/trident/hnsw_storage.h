// Vector storage for FAISS's HNSW whose distance computer uses trident's SIMD kernels, so graph
// construction (faiss::HNSW::add_with_locks) runs on AVX2/AVX-512 instead of FAISS's SSE code.
// It is a faiss::IndexFlat in every other respect: write_index() saves it as a plain flat index,
// and adopt_kernel_storage() swaps a loaded plain storage back to this type.
#pragma once

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>

namespace trident {

struct KernelFlatStorage : faiss::IndexFlat {
  KernelFlatStorage(int dimension, faiss::MetricType metric);
  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer() const override;
};

// Replaces index->storage (a plain faiss::IndexFlat, owned) by a KernelFlatStorage holding the
// same vectors. Moves the vector bytes; O(1) extra memory.
void adopt_kernel_storage(faiss::IndexHNSWFlat* index);

}  // namespace trident
