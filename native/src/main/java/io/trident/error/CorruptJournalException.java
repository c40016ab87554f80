package io.trident.error;

/**
 * A journal holds a corrupt record before a valid later one: not a torn tail a crash can leave,
 * so opening it would silently drop acknowledged entries. Names the cycle file and the byte offset
 * of the bad record; {@code scripts/journal-repair.sh DIR} cuts the journal there (reporting how
 * many entries that drops) when an operator decides to accept the loss.
 */
public class CorruptJournalException extends CorruptFileException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  public CorruptJournalException(String file, long offset, String problem) {
    super("journal file " + file + " is corrupt at byte offset " + offset + ": " + problem
        + "; valid records follow it, so it is not a torn tail (scripts/journal-repair.sh cuts the"
        + " journal there, dropping every later entry)");
    this.file = file;
    this.offset = offset;
  }

  /** Path of the cycle file holding the bad record. */
  public String file() {
    return file;
  }

  /** Byte offset of the bad record in {@link #file()}. */
  public long offset() {
    return offset;
  }
}
