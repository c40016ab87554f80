package io.trident.raftlog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@link CycleFileSyncer} through {@code FileChannel.force(false)}, i.e. fdatasync(2). */
final class FileChannelCycleSyncer implements CycleFileSyncer {

  static final Factory FACTORY =
      new Factory() {
        @Override
        public CycleFileSyncer open(Path cycleFile) throws IOException {
          return new FileChannelCycleSyncer(FileChannel.open(cycleFile, StandardOpenOption.WRITE));
        }

        @Override
        public String describe() {
          return "fdatasync";
        }
      };

  private final FileChannel channel;

  private FileChannelCycleSyncer(FileChannel channel) {
    this.channel = channel;
  }

  @Override
  public void sync() throws IOException {
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
