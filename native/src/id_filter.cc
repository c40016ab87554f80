#include "id_filter.h"

#include <string>

#include "trident/error.h"
#include "trident/vector_index.h"

namespace trident {
namespace {

// Up to this many sorted ids a linear scan beats building and probing a hash set.
constexpr int64_t kScanIdsMax = 16;

inline uint64_t slot_of(int64_t id, uint64_t mask) {
  return (uint64_t(id) * 0x9E3779B97F4A7C15ull >> 17) & mask;  // Fibonacci hashing
}

}  // namespace

IdFilter::IdFilter(int kind, const void* data, int64_t length) : length_(length) {
  TRIDENT_CHECK(kind == kFilterSortedIds || kind == kFilterIdBitset, ErrorKind::kInvalidArgument,
                "search: unknown filter kind " + std::to_string(kind));
  TRIDENT_CHECK(length >= 0, ErrorKind::kInvalidArgument,
                "search: filter length must be >= 0, got " + std::to_string(length));
  TRIDENT_CHECK(data != nullptr || length == 0, ErrorKind::kInvalidArgument,
                "search: filter data is null");
  if (kind == kFilterIdBitset) {
    static const uint64_t kNoWords = 0;
    words_ = length == 0 ? &kNoWords : static_cast<const uint64_t*>(data);
    const int64_t word_count = (length + 63) / 64;
    for (int64_t w = 0; w < word_count; ++w) {
      cardinality_ += __builtin_popcountll(words_[w] & word_mask(w));
    }
    return;
  }
  ids_ = static_cast<const int64_t*>(data);
  for (int64_t i = 1; i < length; ++i) {
    TRIDENT_CHECK(ids_[i - 1] < ids_[i], ErrorKind::kInvalidArgument,
                  "search: filter ids must be strictly ascending; id " + std::to_string(ids_[i]) +
                      " follows " + std::to_string(ids_[i - 1]));
  }
  cardinality_ = length;
  if (length <= kScanIdsMax) return;
  uint64_t size = 64;
  while (size < uint64_t(length) * 2) size <<= 1;
  slots_.assign(size, -1);
  slot_mask_ = size - 1;
  for (int64_t i = 0; i < length; ++i) {
    if (ids_[i] == -1) continue;
    uint64_t slot = slot_of(ids_[i], slot_mask_);
    while (slots_[slot] != -1) slot = (slot + 1) & slot_mask_;
    slots_[slot] = ids_[i];
  }
}

bool IdFilter::contains_by_scan(int64_t id) const {
  for (int64_t i = 0; i < length_; ++i) {
    if (ids_[i] == id) return true;
  }
  return false;
}

bool IdFilter::contains_by_hash(int64_t id) const {
  if (id == -1) return false;
  for (uint64_t slot = slot_of(id, slot_mask_);; slot = (slot + 1) & slot_mask_) {
    const int64_t held = slots_[slot];
    if (held == id) return true;
    if (held == -1) return false;
  }
}

}  // namespace trident
