package io.trident.error;

/** The JVM lacks flags Chronicle Queue and LMDB need on JDK 17+; the message lists them (see scripts/jvm-flags.sh). */
public class MissingJvmFlagsException extends TridentException {
  private static final long serialVersionUID = 1L;

  public MissingJvmFlagsException(String message) {
    super(message);
  }

  public MissingJvmFlagsException(String message, Throwable cause) {
    super(message, cause);
  }
}
