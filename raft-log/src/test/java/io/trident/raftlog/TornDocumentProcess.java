package io.trident.raftlog;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Child process of {@link ChronicleLogStorageCrashTest}: appends entries 1..100 through the
 * storage, then opens the queue directly, starts a Chronicle document, writes part of it and halts
 * the JVM inside the document (as a kill -9 mid-append would): its header stays incomplete and
 * Chronicle's append lock stays held by a dead process.
 *
 * <p>Arguments: journal directory, seed.
 */
public final class TornDocumentProcess {
  static final int ENTRIES_WRITTEN = 100;

  private TornDocumentProcess() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    ChronicleLogStorage storage = new ChronicleLogStorage(directory, RollCycles.FIVE_MINUTELY);
    LogStorageOptions options = new LogStorageOptions();
    options.setConfigurationManager(new ConfigurationManager());
    options.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
    if (!storage.init(options) || storage.appendEntries(TestEntries.batch(1, ENTRIES_WRITTEN, 1, seed)) != ENTRIES_WRITTEN) {
      System.exit(2);
    }
    storage.shutdown();
    SingleChronicleQueue queue =
        SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FIVE_MINUTELY).build();
    ExcerptAppender appender = queue.createAppender();
    DocumentContext document = appender.writingDocument();
    document.wire().bytes().write(new byte[] {LogRecordCodec.BATCH, LogRecordCodec.FORMAT_VERSION, 101, 0, 0, 0});
    document.wire().bytes().write(new byte[4096]);
    System.out.println("HALTING INSIDE DOCUMENT");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
