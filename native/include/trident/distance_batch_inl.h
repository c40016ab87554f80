// Batched distance forms shared by the per-ISA kernel files. Included only by distance_*.cc.
// Everything here has internal linkage (anonymous namespace) on purpose: each ISA file compiles
// its own copy with its own -m flags, so the linker can never merge an AVX-512 instantiation
// into the scalar path (or the reverse).
#pragma once

#include <cstddef>
#include <cstdint>

namespace trident {
namespace {

template <typename Element>
inline void prefetch_row(const Element* row, size_t dimension) {
  const char* bytes = reinterpret_cast<const char*>(row);
  const size_t row_bytes = dimension * sizeof(Element);
  for (size_t offset = 0; offset < row_bytes; offset += 64) __builtin_prefetch(bytes + offset, 0, 3);
}

// Ops provides: static float one(q, x, d); static void four(q, x0, x1, x2, x3, d, out), where
// q is float and the rows are Element (float, or uint16_t holding IEEE half precision).
template <typename Ops, typename Element = float>
inline void distances_by_ids(const float* query, const Element* base, size_t row_stride,
                             size_t dimension, const int32_t* ids, size_t count, float* out) {
  auto row = [&](size_t j) { return base + size_t(ids[j]) * row_stride; };
  size_t j = 0;
  if (count >= 4) {
    for (size_t p = 0; p < 4; ++p) prefetch_row(row(p), dimension);
  }
  for (; j + 4 <= count; j += 4) {
    // Rows of the next group are requested now so their loads overlap this group's arithmetic.
    const size_t next_end = j + 8 < count ? j + 8 : count;
    for (size_t p = j + 4; p < next_end; ++p) prefetch_row(row(p), dimension);
    Ops::four(query, row(j), row(j + 1), row(j + 2), row(j + 3), dimension, out + j);
  }
  for (; j < count; ++j) out[j] = Ops::one(query, row(j), dimension);
}

template <typename Ops>
inline void distances_rows(const float* query, const float* base, size_t dimension, size_t count,
                           float* out) {
  size_t j = 0;
  for (; j + 4 <= count; j += 4) {
    const float* x = base + j * dimension;
    Ops::four(query, x, x + dimension, x + 2 * dimension, x + 3 * dimension, dimension, out + j);
  }
  for (; j < count; ++j) out[j] = Ops::one(query, base + j * dimension, dimension);
}

}  // namespace
}  // namespace trident
