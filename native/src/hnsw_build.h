// Parallel insertion into a FAISS HNSW graph with dynamic scheduling.
//
// Same algorithm and graph as faiss::IndexHNSW::add (FAISS 1.7.3): levels are drawn by
// HNSW::prepare_level_tab, points are inserted level by level from the top (each level's points
// in a seeded random order) with HNSW::add_with_locks and one lock per node. The difference is
// the threads of the per-level loop: FAISS splits it statically over OpenMP threads, so on a
// shared host one descheduled thread holds the whole level back (two threads measured no faster
// than one at load ~10), and idle OpenMP workers spin. Here plain threads (the caller plus
// threads - 1 started per level and joined at its end) take chunks of kInsertChunk points as
// they become free, and nothing spins.
// Thread rules: the caller holds the index exclusively.
#pragma once

#include <faiss/IndexHNSW.h>

namespace trident {

// Appends n vectors (row-major, index.d floats each) to index.storage and links them into
// index.hnsw. Throws (FAISS or std::bad_alloc) like faiss::IndexHNSW::add.
void hnsw_add_parallel(faiss::IndexHNSW& index, faiss::Index::idx_t n, const float* vectors,
                       int threads);

}  // namespace trident
