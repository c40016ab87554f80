package io.trident.internal.nativelib;

import io.trident.error.CorruptIndexException;
import io.trident.error.DimensionMismatchException;
import io.trident.error.InvalidArgumentException;
import io.trident.error.StorageIoException;
import io.trident.error.TridentException;
import io.trident.error.TridentOutOfMemoryException;
import io.trident.error.UnknownIdException;
import io.trident.error.UnsupportedIndexOperationException;

/** Maps the "[KIND] message" of a native {@code trident::Error} to a typed exception. */
public final class NativeErrors {
  private NativeErrors() {}

  /** Returns the typed exception for a RuntimeException thrown by a JavaCPP-mapped call. */
  public static TridentException translate(RuntimeException nativeFailure) {
    if (nativeFailure instanceof TridentException typed) {
      return typed;
    }
    String message = String.valueOf(nativeFailure.getMessage());
    int close = message.startsWith("[") ? message.indexOf("] ") : -1;
    if (close < 0) {
      return new TridentException("native call failed: " + message, nativeFailure);
    }
    String kind = message.substring(1, close);
    String text = message.substring(close + 2);
    TridentException typed = switch (kind) {
      case "INVALID_ARGUMENT" -> new InvalidArgumentException(text);
      case "DIMENSION_MISMATCH" -> new DimensionMismatchException(text);
      case "UNKNOWN_ID" -> new UnknownIdException(text);
      case "CORRUPT_FILE" -> new CorruptIndexException(text);
      case "IO" -> new StorageIoException(text);
      case "UNSUPPORTED" -> new UnsupportedIndexOperationException(text);
      case "OUT_OF_MEMORY" -> new TridentOutOfMemoryException(text);
      default -> new TridentException("native failure (" + kind + "): " + text);
    };
    typed.initCause(nativeFailure);
    return typed;
  }
}
