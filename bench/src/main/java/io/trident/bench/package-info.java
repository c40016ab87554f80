/**
 * Trident's benchmarks and command-line benchmark tools, run through {@link
 * io.trident.bench.BenchMain} ({@code scripts/bench.sh}). Nothing here is part of the library:
 * it may use more memory and threads than library code would, and it prints to stdout/stderr.
 */
package io.trident.bench;
