// The caller's id filter during one search call: which caller ids the search may return.
//
// Forms (see IdFilterKind in vector_index.h), both read from caller memory that stays valid and
// unchanged for the call (Java's direct buffer):
//   kFilterSortedIds  `length` int64 ids, strictly ascending. Membership: an open-addressing hash
//                     set built once per call (O(length)), or a scan for a handful of ids.
//   kFilterIdBitset   `length` bits in ceil(length / 64) uint64 words; bit i of word i / 64 set
//                     means id i is allowed; ids outside [0, length) are not. Membership O(1).
// cardinality() counts allowed ids, including ids the index does not hold.
//
// Thread rules: built once per call on the calling thread, then only read: any number of OpenMP
// threads of that call may call contains()/for_each() at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace trident {

class IdFilter {
 public:
  // Throws Error(kInvalidArgument) for an unknown kind, a negative length, null data with
  // length > 0, or sorted ids that are not strictly ascending.
  IdFilter(int kind, const void* data, int64_t length);

  bool contains(int64_t id) const {
    if (words_ != nullptr) {
      return id >= 0 && id < length_ && ((words_[uint64_t(id) >> 6] >> (id & 63)) & 1u) != 0;
    }
    return slots_.empty() ? contains_by_scan(id) : contains_by_hash(id);
  }

  int64_t cardinality() const { return cardinality_; }

  // Calls visit(id) for every allowed id, ascending.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    if (words_ == nullptr) {
      for (int64_t i = 0; i < length_; ++i) visit(ids_[i]);
      return;
    }
    const int64_t word_count = (length_ + 63) / 64;
    for (int64_t w = 0; w < word_count; ++w) {
      for (uint64_t bits = words_[w] & word_mask(w); bits != 0; bits &= bits - 1) {
        visit(w * 64 + __builtin_ctzll(bits));
      }
    }
  }

 private:
  // Bits of word w that lie below length_ (a caller's stray bits past the end never count).
  uint64_t word_mask(int64_t w) const {
    const int64_t used = length_ - w * 64;
    return used >= 64 ? ~uint64_t(0) : (uint64_t(1) << used) - 1;
  }
  bool contains_by_scan(int64_t id) const;
  bool contains_by_hash(int64_t id) const;

  const int64_t* ids_ = nullptr;
  const uint64_t* words_ = nullptr;
  int64_t length_ = 0;
  int64_t cardinality_ = 0;
  // Sorted form beyond a few ids: open addressing, power-of-two size >= 2 * length, empty = -1
  // (never a stored id: -1 is reserved, and a filter's -1 can match nothing).
  std::vector<int64_t> slots_;
  uint64_t slot_mask_ = 0;
};

}  // namespace trident
