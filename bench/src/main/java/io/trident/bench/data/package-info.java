/**
 * Benchmark data: texmex vector files and the seeded clustered data generator with exact ground
 * truth ({@code bench.sh gen}). Everything here is deterministic for a given seed.
 */
package io.trident.bench.data;
