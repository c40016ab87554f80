// IVF-Flat search on trident's SIMD kernels (Debian's FAISS scans lists with SSE code): the coarse
// quantizer's centroids and every probed inverted list are scored with distance_kernels()
// row-block kernels (AVX-512 / AVX2 / scalar), and the k best kept in a bounded heap.
//
// Results match faiss::IndexIVF::search with the same nprobe: same probed lists (the nprobe
// nearest centroids; ties between equidistant centroids may pick another list), same hits, and
// distances equal to float32 up to summation order (relative ~1e-5).
//
// Shapes as in vector_index.h: queries n * d floats; distances / labels n * k, best first, empty
// slots label -1. Labels are the ids stored in the lists (caller ids). Thread rules: reads the
// index only; any number of concurrent calls; `threads` OpenMP threads split the queries.
#pragma once

#include <faiss/IndexIVF.h>

#include <cstdint>

namespace trident {

// True when ivf_flat_search can serve this index: IVF-Flat codes (raw float32 vectors) in
// array inverted lists, and a flat (exhaustive) coarse quantizer.
bool ivf_flat_kernels_apply(const faiss::IndexIVF& ivf);

// Throws std::bad_alloc when scratch cannot be allocated (nothing written is then meaningful).
void ivf_flat_search(const faiss::IndexIVF& ivf, int64_t n, const float* queries, int k,
                     size_t nprobe, int threads, float* distances, int64_t* labels);

}  // namespace trident
