package io.trident.internal.nativelib;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;

/** JavaCPP mapping of {@code trident/runtime_info.h}. Internal: use {@link io.trident.nativelib.TridentNative}. */
@Platform(include = "trident/runtime_info.h", link = "trident_core")
@Namespace("trident")
public final class NativeRuntime {
  static {
    Loader.load();
  }

  private NativeRuntime() {}

  /** The distance-kernel variant chosen at load: "avx512", "avx2" or "scalar". */
  public static native @Cast("const char*") String simd_variant_name();

  /** The x86 target of the library's baseline code: "generic", "avx2" or "avx512". */
  public static native @Cast("const char*") String build_target_name();

  /** Whether this CPU has what {@link #build_target_name()} requires. */
  public static native @Cast("bool") boolean build_target_supported();
}
