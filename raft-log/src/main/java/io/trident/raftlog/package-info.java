/**
 * Trident's Raft log: sofa-jraft storage on Trident's own components.
 *
 * <p>What this package owns:
 *
 * <ul>
 *   <li>{@link io.trident.raftlog.ChronicleLogStorage}: jraft's {@code LogStorage} on a Chronicle
 *       Queue journal. One record per mutation (a whole {@code appendEntries} batch is one record),
 *       one fdatasync of the current cycle file per record, CRC32C per entry and per record header,
 *       logical suffix truncation and reset through marker records, prefix truncation that deletes
 *       whole cycle files, and a replay on open that makes what it publishes durable, cuts only a
 *       torn tail and fails closed ({@code CorruptJournalException}) on corruption before valid
 *       records; {@link io.trident.raftlog.JournalRepair} is the operator's cut (raft-log/README.md).
 *   <li>The {@code meta} subpackage: term and vote in LMDB; the service factory wiring both into
 *       jraft.
 * </ul>
 *
 * <p>Thread rules: jraft calls every mutation ({@code appendEntries}, {@code truncatePrefix},
 * {@code truncateSuffix}, {@code reset}) from its single log-manager disk thread; the storage
 * also serializes them itself. Reads ({@code getEntry}, {@code getTerm}, first/last index) are safe
 * from any number of threads and never see a mutation before it is durable. The journal never
 * touches jraft's {@code ConfigurationManager} after {@code init}: jraft updates it itself under its
 * own lock, so the storage only re-registers configuration entries when it opens.
 *
 * <p>Durability: Chronicle's own sync modes are msync(MS_ASYNC), a no-op on Linux; every
 * acknowledged mutation here has been made durable by fdatasync of the cycle file (which flushes
 * Chronicle's mmap writes and the record bodies written with pwrite into the same pages), each
 * through the file's one sync pipeline. Most records are synced by a ranged fdatasync of their
 * own pages only: Chronicle's header page (its write position, a hint that readers and the
 * appender scan forward from) lags on disk until the next whole-file sync, which comes with every
 * new cycle file and every record Chronicle indexes (1 in 256); AppendedRangeSyncPowerLossTest
 * cuts the power with the header lagging. After a failed write or
 * fdatasync the journal refuses further writes, which jraft reports as EIO (the node steps down).
 */
package io.trident.raftlog;
