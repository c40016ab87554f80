package io.trident.internal.node;

import io.trident.error.MissingJvmFlagsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is opened, that the JVM has the flags Chronicle Queue and LMDB need on
 * JDK 17+ (without them Chronicle silently turns read-only and LMDB fails deep inside a call).
 */
final class JvmFlags {
  private JvmFlags() {}

  /** @throws MissingJvmFlagsException listing every missing flag */
  static void check() {
    Module base = Object.class.getModule();
    Module self = JvmFlags.class.getModule();
    List<String> missing = new ArrayList<>();
    for (String pkg : List.of("java.lang.reflect", "java.nio", "sun.nio.ch", "java.lang")) {
      if (!base.isOpen(pkg, self)) {
        missing.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
      }
    }
    for (String pkg : List.of("sun.nio.ch", "jdk.internal.ref", "jdk.internal.misc")) {
      if (!base.isExported(pkg, self)) {
        missing.add("--add-exports=java.base/" + pkg + "=ALL-UNNAMED");
      }
    }
    if (!missing.isEmpty()) {
      throw new MissingJvmFlagsException("this JVM lacks flags Trident's journal (Chronicle"
          + " Queue) and state store (LMDB) need: " + String.join(" ", missing)
          + " (scripts/jvm-flags.sh lists them all; also pass -Dchronicle.analytics.disable=true)");
    }
  }
}
