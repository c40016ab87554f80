package io.trident.internal.node;

import io.trident.error.StorageIoException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which collection indexes a snapshot carries: a small text file beside the state copy, written
 * after every index file it names, so a snapshot whose manifest is complete holds each "saved"
 * index as of the snapshot's applied index. Lines: {@code trident-collection-indexes 1}, {@code
 * applied <raftIndex>}, one {@code saved <collectionId>} or {@code skipped <collectionId>
 * <reason>} per collection, then {@code end}. Immutable.
 */
record SnapshotIndexManifest(long appliedIndex, Map<Long, Boolean> savedByCollectionId) {
  static final String FILE = "collection-indexes.manifest";
  private static final String HEADER = "trident-collection-indexes 1";

  /** Writes the manifest into {@code dir} and fsyncs it. */
  void write(Path dir, Map<Long, String> skipReasons) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    text.append("applied ").append(appliedIndex).append('\n');
    savedByCollectionId.forEach((collectionId, saved) -> {
      text.append(saved ? "saved " : "skipped ").append(collectionId);
      if (!saved) {
        text.append(' ').append(skipReasons.getOrDefault(collectionId, "?")
            .replace('\n', ' '));
      }
      text.append('\n');
    });
    text.append("end\n");
    Path file = dir.resolve(FILE);
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
    } catch (IOException e) {
      throw new StorageIoException("cannot write " + file + ": " + e, e);
    }
  }

  /**
   * The manifest in {@code dir}.
   *
   * @throws StorageIoException when it is missing, unreadable or incomplete (the caller then
   *     rebuilds every index)
   */
  static SnapshotIndexManifest read(Path dir) {
    Path file = dir.resolve(FILE);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StorageIoException("cannot read " + file + ": " + e, e);
    }
    if (lines.size() < 3 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("applied ")
        || !lines.get(lines.size() - 1).equals("end")) {
      throw new StorageIoException(file + " is incomplete or not a collection-index manifest");
    }
    try {
      long applied = Long.parseLong(lines.get(1).substring("applied ".length()));
      Map<Long, Boolean> saved = new LinkedHashMap<>();
      for (String line : lines.subList(2, lines.size() - 1)) {
        String[] words = line.split(" ", 3);
        if (words.length < 2 || !(words[0].equals("saved") || words[0].equals("skipped"))) {
          throw new StorageIoException(file + " has a malformed line: " + line);
        }
        saved.put(Long.parseLong(words[1]), words[0].equals("saved"));
      }
      return new SnapshotIndexManifest(applied, saved);
    } catch (NumberFormatException e) {
      throw new StorageIoException(file + " has a malformed number: " + e.getMessage(), e);
    }
  }
}
