// Spec grammar, FAISS structure construction, memory accounting.
#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/index_factory.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "trident/cpu_features.h"
#include "trident/error.h"
#include "trident/hnsw_bf16.h"
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

}  // namespace

VectorEncoding layout_encoding_for(size_t node_count, size_t dimension, bool vectors_fit_half) {
  if (const char* forced = std::getenv("TRIDENT_HNSW_LAYOUT")) {  // for tests and comparisons
    if (std::strcmp(forced, "f32") == 0) return VectorEncoding::kFloat32;
    if (std::strcmp(forced, "f16") == 0 && vectors_fit_half) return VectorEncoding::kFloat16;
    if (std::strcmp(forced, "bf16") == 0 && bf16_walk_available()) {
      return VectorEncoding::kBfloat16;
    }
  }
  if (node_count * dimension * sizeof(float) < kHalfLayoutMinBytes) return VectorEncoding::kFloat32;
  if (dimension >= kBf16WalkMinDimension && bf16_walk_available()) return VectorEncoding::kBfloat16;
  if (!vectors_fit_half || detected_simd_level() < SimdLevel::kAvx2) return VectorEncoding::kFloat32;
  return VectorEncoding::kFloat16;
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
  TRIDENT_CHECK(metric == kMetricL2 || metric == kMetricInnerProduct || metric == kMetricCosine,
                ErrorKind::kInvalidArgument,
                "metric must be 0 (L2), 1 (inner product) or 2 (cosine), got " +
                    std::to_string(metric));
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
      layout_encoding_ = layout_encoding_for(0, size_t(dimension_), true);
      auto* hnsw = new faiss::IndexHNSWFlat(dimension_, parsed_.hnsw_m, metric);
      hnsw->hnsw.efConstruction = ef_construction_;
      index_.reset(hnsw);
      adopt_kernel_storage(hnsw);
      resync_search_layout();
      break;
    }
  }
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
      bytes += flat_bf16_.bytes() + flat_f32_.bytes();
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
