/**
 * Raft metadata (current term and vote) for jraft, stored in LMDB.
 *
 * <p>Owns {@link io.trident.raftlog.meta.LmdbRaftMetaStorage}: one LMDB environment per node,
 * every write one durable transaction. jraft persists term and vote through it before it sends a
 * vote request or grants a vote, so a restarted node never votes twice in one term.
 */
package io.trident.raftlog.meta;
