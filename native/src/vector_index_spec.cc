// Spec grammar, FAISS structure construction, and the structure <-> file mapping.
#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "trident/cpu_features.h"
#include "trident/error.h"
#include "trident/hnsw_search.h"
#include "trident/hnsw_storage.h"
#include "vector_index_impl.h"

namespace trident {
namespace {

constexpr int kDimensionMax = 1 << 16;
constexpr int kDefaultEfConstruction = 100;

[[noreturn]] void bad_spec(const std::string& spec, const std::string& why) {
  throw Error(ErrorKind::kInvalidArgument, "unsupported index spec \"" + spec + "\": " + why);
}

// Parses the decimal number starting at text[pos] (1..7 digits) or returns -1.
int parse_count(const std::string& text, size_t pos, size_t* end) {
  size_t i = pos;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - pos < 8) ++i;
  if (i == pos || i - pos > 7) return -1;
  *end = i;
  return std::stoi(text.substr(pos, i - pos));
}

bool starts_with(const std::string& text, const char* prefix) {
  return text.compare(0, std::strlen(prefix), prefix) == 0;
}

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

VectorEncoding preferred_layout_encoding() {
  if (const char* forced = std::getenv("TRIDENT_HNSW_LAYOUT")) {  // "f32" / "f16", for comparisons
    if (std::strcmp(forced, "f32") == 0) return VectorEncoding::kFloat32;
  }
  return detected_simd_level() >= SimdLevel::kAvx2 ? VectorEncoding::kFloat16
                                                   : VectorEncoding::kFloat32;
}

ParsedSpec parse_spec(const std::string& spec, int dimension) {
  ParsedSpec parsed;
  std::string body = spec;
  if (starts_with(body, "IDMap,")) body = body.substr(6);
  parsed.factory = body;
  size_t end = 0;
  if (body == "Flat") {
    parsed.kind = StructureKind::kFlat;
  } else if (body == "SQ8" || body == "SQfp16") {
    parsed.kind = StructureKind::kScalarQuantizer;
  } else if (starts_with(body, "HNSW")) {
    parsed.kind = StructureKind::kHnsw;
    parsed.hnsw_m = parse_count(body, 4, &end);
    if (parsed.hnsw_m < 2 || parsed.hnsw_m > 256 || end != body.size()) {
      bad_spec(spec, "HNSW{M} needs 2 <= M <= 256");
    }
  } else if (starts_with(body, "IVF")) {
    parsed.kind = StructureKind::kIvf;
    parsed.ivf_lists = parse_count(body, 3, &end);
    if (parsed.ivf_lists < 1 || parsed.ivf_lists > (1 << 20)) bad_spec(spec, "IVF{n} needs 1 <= n <= 2^20");
    const std::string rest = body.substr(end);
    if (rest == ",Flat") {
    } else if (starts_with(rest, ",PQ")) {
      parsed.pq_subquantizers = parse_count(rest, 3, &end);
      if (parsed.pq_subquantizers < 1 || end != rest.size()) bad_spec(spec, "PQ{m} needs m >= 1");
      if (dimension % parsed.pq_subquantizers != 0) {
        bad_spec(spec, "PQ{m} needs m to divide the dimension " + std::to_string(dimension));
      }
    } else {
      bad_spec(spec, "IVF{n} must be followed by \",Flat\" or \",PQ{m}\"");
    }
  } else {
    bad_spec(spec, "expected Flat, HNSW{M}, IVF{n},Flat, IVF{n},PQ{m}, SQ8 or SQfp16");
  }
  return parsed;
}

VectorIndexImpl::VectorIndexImpl(int dimension, const std::string& spec, int metric,
                                 int ef_construction)
    : dimension_(dimension), metric_(metric), ef_construction_(ef_construction), spec_(spec) {
  TRIDENT_CHECK(dimension > 0 && dimension <= kDimensionMax, ErrorKind::kInvalidArgument,
                "dimension must be in [1, 65536], got " + std::to_string(dimension));
  TRIDENT_CHECK(metric == kMetricL2 || metric == kMetricInnerProduct, ErrorKind::kInvalidArgument,
                "metric must be 0 (L2) or 1 (inner product), got " + std::to_string(metric));
  TRIDENT_CHECK(ef_construction >= 0 && ef_construction <= 100000, ErrorKind::kInvalidArgument,
                "ef_construction must be in [0, 100000], got " + std::to_string(ef_construction));
  if (ef_construction_ == 0) ef_construction_ = kDefaultEfConstruction;
  parsed_ = parse_spec(spec, dimension);
  build_structure();
}

void VectorIndexImpl::build_structure() {
  const faiss::MetricType metric =
      metric_ == kMetricL2 ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT;
  switch (parsed_.kind) {
    case StructureKind::kFlat:
    case StructureKind::kScalarQuantizer: {
      faiss::Index* inner;
      if (parsed_.kind == StructureKind::kFlat) {
        inner = new faiss::IndexFlat(dimension_, metric);
      } else {
        inner = new faiss::IndexScalarQuantizer(
            dimension_,
            parsed_.factory == "SQ8" ? faiss::ScalarQuantizer::QT_8bit
                                     : faiss::ScalarQuantizer::QT_fp16,
            metric);
      }
      auto* mapped = new faiss::IndexIDMap2(inner);
      mapped->own_fields = true;
      index_.reset(mapped);
      break;
    }
    case StructureKind::kIvf: {
      index_.reset(faiss::index_factory(dimension_, parsed_.factory.c_str(), metric));
      // The factory turns on polysemous training (Hamming-ordered codes for a filter we never
      // use); it costs seconds even on small training sets.
      if (auto* ivfpq = dynamic_cast<faiss::IndexIVFPQ*>(index_.get())) {
        ivfpq->do_polysemous_training = false;
      }
      break;
    }
    case StructureKind::kHnsw: {
      layout_encoding_ = preferred_layout_encoding();
      auto* hnsw = new faiss::IndexHNSWFlat(dimension_, parsed_.hnsw_m, metric);
      hnsw->hnsw.efConstruction = ef_construction_;
      index_.reset(hnsw);
      adopt_kernel_storage(hnsw);
      resync_search_layout();
      break;
    }
  }
}

VectorIndexImpl::VectorIndexImpl(IndexFileContents&& file)
    : dimension_(static_cast<int>(file.dimension)),
      metric_(static_cast<int>(file.metric)),
      ef_construction_(static_cast<int>(file.ef_construction)),
      spec_(file.spec) {
  if (file.dimension == 0 || file.dimension > uint32_t(kDimensionMax) || file.metric > 1) {
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
      layout_encoding_ = preferred_layout_encoding();
      if (!half_precision_fits(stored, count * size_t(dimension_))) {
        layout_encoding_ = VectorEncoding::kFloat32;
      }
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
}

void VectorIndexImpl::resync_search_layout() {
  if (parsed_.kind != StructureKind::kHnsw) return;
  const auto& hnsw = static_cast<const faiss::IndexHNSWFlat&>(*index_);
  level0_.rebuild(hnsw.hnsw, static_cast<const faiss::IndexFlat*>(hnsw.storage)->get_xb(),
                  size_t(dimension_), size_t(hnsw.ntotal), layout_encoding_);
}

IndexFileContents VectorIndexImpl::to_file() const {
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

int64_t VectorIndexImpl::bytes_used() const {
  constexpr size_t kHashEntryBytes = 32;  // rough per-entry cost of an unordered container
  size_t bytes = live_ids_.size() * kHashEntryBytes;
  switch (parsed_.kind) {
    case StructureKind::kFlat:
    case StructureKind::kScalarQuantizer: {
      const auto& mapped = static_cast<const faiss::IndexIDMap2&>(*index_);
      const auto& codes = static_cast<const faiss::IndexFlatCodes&>(*mapped.index);
      bytes += codes.codes.size() + mapped.id_map.size() * 8 + mapped.rev_map.size() * kHashEntryBytes;
      break;
    }
    case StructureKind::kIvf: {
      const auto& ivf = static_cast<const faiss::IndexIVF&>(*index_);
      for (size_t list = 0; list < ivf.nlist; ++list) {
        bytes += ivf.invlists->list_size(list) * (ivf.code_size + sizeof(int64_t));
      }
      bytes += size_t(ivf.quantizer->ntotal) * size_t(dimension_) * sizeof(float);
      break;
    }
    case StructureKind::kHnsw: {
      const auto& hnsw = static_cast<const faiss::IndexHNSWFlat&>(*index_);
      bytes += size_t(hnsw.ntotal) * size_t(dimension_) * sizeof(float);
      bytes += hnsw.hnsw.neighbors.size() * 4 + hnsw.hnsw.offsets.size() * 8 +
               hnsw.hnsw.levels.size() * 4;
      bytes += node_ids_.size() * 8 + node_of_id_.size() * kHashEntryBytes + tombstones_.size() * 8;
      bytes += level0_.bytes();
      break;
    }
  }
  return static_cast<int64_t>(bytes);
}

}  // namespace trident
