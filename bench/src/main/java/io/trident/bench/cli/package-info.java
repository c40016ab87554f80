/** Command-line option parsing shared by the benchmark tools. */
package io.trident.bench.cli;
