package io.trident.internal.node;

import io.trident.error.DirectoryInUseException;
import io.trident.error.GroupMismatchException;
import io.trident.error.StorageIoException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A member's data directory: {@code LOCK} (held with an OS file lock while the member is open, so
 * a second node in this or another process fails with {@link DirectoryInUseException}), {@code
 * trident-node.properties} (the Raft group the directory belongs to, written once), and the
 * subdirectories {@code log/} (journal), {@code meta/} (term and vote), {@code state/} (LMDB
 * state) and {@code snapshot/}.
 */
final class NodeDirectory implements AutoCloseable {
  private static final String LOCK_FILE = "LOCK";
  private static final String IDENTITY_FILE = "trident-node.properties";

  final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private NodeDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Locks {@code root} (creating it) and checks or records that it belongs to {@code groupId}. */
  static NodeDirectory open(Path root, String groupId) {
    FileChannel channel = null;
    try {
      Files.createDirectories(root);
      Path lockFile = root.resolve(LOCK_FILE);
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new DirectoryInUseException("data directory " + root + " is in use by another"
            + " open Trident node (lock " + lockFile + "); close it or use another directory");
      }
      NodeDirectory directory = new NodeDirectory(root, channel, lock);
      try {
        directory.checkGroup(groupId);
      } catch (RuntimeException e) {
        directory.close();
        throw e;
      }
      return directory;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StorageIoException("cannot open data directory " + root + ": " + e, e);
    }
  }

  private void checkGroup(String groupId) throws IOException {
    Path identity = root.resolve(IDENTITY_FILE);
    Properties properties = new Properties();
    if (Files.exists(identity)) {
      try (Reader reader = Files.newBufferedReader(identity, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      String recorded = properties.getProperty("groupId");
      if (!groupId.equals(recorded)) {
        throw new GroupMismatchException("data directory " + root + " holds group \"" + recorded
            + "\"'s data, not group \"" + groupId + "\"'s; use another directory or groupId \""
            + recorded + "\"");
      }
      return;
    }
    if (Files.exists(root.resolve("log")) || Files.exists(root.resolve("state"))) {
      throw new GroupMismatchException("data directory " + root + " holds data but no "
          + IDENTITY_FILE + "; it was not made by a Trident node. Use an empty directory");
    }
    properties.setProperty("groupId", groupId);
    properties.setProperty("format", "1");
    Path staged = root.resolve(IDENTITY_FILE + ".tmp");
    try (Writer writer = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
      properties.store(writer, "Trident node data directory: do not edit");
    }
    try (FileChannel file = FileChannel.open(staged, StandardOpenOption.WRITE)) {
      file.force(true);
    }
    Files.move(staged, identity, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  Path log() {
    return root.resolve("log");
  }

  Path meta() {
    return root.resolve("meta");
  }

  Path state() {
    return root.resolve("state");
  }

  Path snapshots() {
    return root.resolve("snapshot");
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // The channel close below releases it too.
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing left to release.
      }
    }
  }
}
