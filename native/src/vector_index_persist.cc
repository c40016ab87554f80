// The index <-> file mapping: what save() writes besides FAISS's bytes, and the checks a loaded
// file passes before it becomes an index (checksum already verified by read_index_file).
#include <faiss/IndexFlat.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <cstring>

#include "trident/error.h"
#include "trident/hnsw_search.h"
#include "trident/hnsw_storage.h"
#include "vector_index_impl.h"

namespace trident {
namespace {

constexpr uint32_t kDimensionMax = 1u << 16;

// faiss::IOReader over bytes we already validated (no copy).
struct ByteSpanReader : faiss::IOReader {
  const uint8_t* data;
  size_t length;
  size_t position = 0;
  ByteSpanReader(const uint8_t* d, size_t n) : data(d), length(n) {}
  size_t operator()(void* out, size_t size, size_t items) override {
    if (size == 0 || items == 0) return 0;
    const size_t available = (length - position) / size;
    const size_t taken = items < available ? items : available;
    std::memcpy(out, data + position, taken * size);
    position += taken * size;
    return taken;
  }
};

[[noreturn]] void corrupt(const std::string& why) {
  throw Error(ErrorKind::kCorruptFile, "index file content is inconsistent: " + why);
}

void check_hnsw_graph(const faiss::IndexHNSWFlat& index) {
  const faiss::HNSW& g = index.hnsw;
  const size_t n = static_cast<size_t>(index.ntotal);
  if (g.levels.size() != n || g.offsets.size() != n + 1 || g.neighbors.size() != g.offsets.back()) {
    corrupt("HNSW arrays disagree with the vector count");
  }
  if (g.cum_nneighbor_per_level.empty() || g.max_level + 1 >= int(g.cum_nneighbor_per_level.size())) {
    corrupt("HNSW level table too short");
  }
  if (n > 0 && (g.entry_point < 0 || size_t(g.entry_point) >= n)) corrupt("bad HNSW entry point");
  for (size_t i = 0; i < n; ++i) {
    const int levels = g.levels[i];
    if (levels < 1 || levels > g.max_level + 1 ||
        g.offsets[i + 1] - g.offsets[i] != size_t(g.cum_nneighbor_per_level[levels])) {
      corrupt("bad HNSW node layout");
    }
  }
  for (const int32_t link : g.neighbors) {
    if (link < -1 || link >= int64_t(n)) corrupt("HNSW link out of range");
  }
}

}  // namespace

VectorIndexImpl::VectorIndexImpl(IndexFileContents&& file)
    : dimension_(static_cast<int>(file.dimension)),
      metric_(static_cast<int>(file.metric)),
      ef_construction_(static_cast<int>(file.ef_construction)),
      spec_(file.spec) {
  if (file.dimension == 0 || file.dimension > kDimensionMax || file.metric > uint32_t(kMetricCosine)) {
    corrupt("bad dimension or metric");
  }
  try {
    parsed_ = parse_spec(spec_, dimension_);
  } catch (const Error&) {
    corrupt("unknown spec \"" + spec_ + "\"");
  }
  ByteSpanReader reader(file.faiss_bytes.data(), file.faiss_bytes.size());
  std::unique_ptr<faiss::Index> loaded;
  try {
    loaded.reset(faiss::read_index(&reader));
  } catch (const std::exception& e) {
    corrupt(std::string("FAISS could not read the structure: ") + e.what());
  }
  const faiss::MetricType metric =
      metric_ == kMetricL2 ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT;
  if (loaded->d != dimension_ || loaded->metric_type != metric) corrupt("dimension/metric differ");
  const size_t count = static_cast<size_t>(loaded->ntotal);

  bool shape_ok = false;
  if (parsed_.kind == StructureKind::kHnsw) {
    auto* hnsw = dynamic_cast<faiss::IndexHNSWFlat*>(loaded.get());
    shape_ok = hnsw != nullptr && dynamic_cast<faiss::IndexFlat*>(hnsw->storage) != nullptr &&
               hnsw->storage->ntotal == loaded->ntotal;
    if (shape_ok) {
      check_hnsw_graph(*hnsw);
      if (file.node_ids.size() != count || file.tombstones.size() != (count + 63) / 64) {
        corrupt("HNSW id table or tombstones have the wrong length");
      }
      adopt_kernel_storage(hnsw);
      const float* stored = static_cast<const faiss::IndexFlat*>(hnsw->storage)->get_xb();
      vectors_fit_half_ = half_precision_fits(stored, count * size_t(dimension_));
      layout_encoding_ = layout_encoding_for(count, size_t(dimension_), vectors_fit_half_);
      level0_.rebuild(hnsw->hnsw, stored, size_t(dimension_), count, layout_encoding_);
      node_ids_ = std::move(file.node_ids);
      tombstones_ = std::move(file.tombstones);
      for (size_t node = 0; node < count; ++node) {
        if (is_tombstoned(tombstones_.data(), node)) continue;
        if (!node_of_id_.emplace(node_ids_[node], int32_t(node)).second) corrupt("duplicate id");
        live_ids_.insert(node_ids_[node]);
      }
    }
  } else {
    auto* mapped = dynamic_cast<faiss::IndexIDMap2*>(loaded.get());
    if (parsed_.kind == StructureKind::kIvf) {
      shape_ok = dynamic_cast<faiss::IndexIVF*>(loaded.get()) != nullptr;
    } else if (mapped != nullptr) {
      shape_ok = parsed_.kind == StructureKind::kFlat
                     ? dynamic_cast<faiss::IndexFlat*>(mapped->index) != nullptr
                     : dynamic_cast<faiss::IndexScalarQuantizer*>(mapped->index) != nullptr;
    }
    if (shape_ok) {
      if (file.node_ids.size() != count || !file.tombstones.empty()) corrupt("id table length");
      live_ids_.insert(file.node_ids.begin(), file.node_ids.end());
      if (live_ids_.size() != count) corrupt("duplicate id");
    }
  }
  if (!shape_ok) corrupt("FAISS structure does not match spec \"" + spec_ + "\"");
  index_ = std::move(loaded);
  sync_flat_bf16(true);
}

void VectorIndexImpl::resync_search_layout() {
  if (parsed_.kind != StructureKind::kHnsw) return;
  const auto& hnsw = static_cast<const faiss::IndexHNSWFlat&>(*index_);
  level0_.rebuild(hnsw.hnsw, static_cast<const faiss::IndexFlat*>(hnsw.storage)->get_xb(),
                  size_t(dimension_), size_t(hnsw.ntotal), layout_encoding_);
  search_layout_exact_ = true;
}

IndexFileContents VectorIndexImpl::to_file() const {
  check_usable();
  IndexFileContents file;
  file.metric = static_cast<uint32_t>(metric_);
  file.dimension = static_cast<uint32_t>(dimension_);
  file.ef_construction = static_cast<uint32_t>(ef_construction_);
  file.spec = spec_;
  if (parsed_.kind == StructureKind::kHnsw) {
    file.node_ids = node_ids_;
    file.tombstones = tombstones_;
  } else {
    file.node_ids.assign(live_ids_.begin(), live_ids_.end());
  }
  faiss::VectorIOWriter writer;
  faiss::write_index(index_.get(), &writer);
  file.faiss_bytes = std::move(writer.data);
  return file;
}

}  // namespace trident
