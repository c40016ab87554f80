/**
 * Peer systems of the search benchmark: hnswlib-java and JVector in this JVM, Lucene HNSW in a
 * child JVM (so Lucene 10 can run on a JDK 21+ with the vector incubator module while the tool
 * runs on JDK 17). Each peer gets the same data, the same graph settings (M, efConstruction)
 * and the same ef sweep as Trident.
 */
package io.trident.bench.peer;
