package io.trident.nativelib;

import io.trident.error.NativeUnavailableException;
import io.trident.internal.nativelib.NativeRuntime;

/**
 * Whether Trident's native library loaded on this machine, and why not. Thread-safe; the load is
 * attempted once, on first use.
 */
public final class TridentNative {
  private static final Throwable UNAVAILABILITY_CAUSE = tryLoad();

  private TridentNative() {}

  private static Throwable tryLoad() {
    try {
      NativeRuntime.simd_variant_name();
      if (!NativeRuntime.build_target_supported()) {
        return new UnsupportedOperationException("this library was built for x86 target "
            + NativeRuntime.build_target_name() + ", which this CPU lacks; use the generic"
            + " build (scripts/build-native.sh --march generic)");
      }
    } catch (Throwable failure) {
      return failure;
    }
    System.getLogger(TridentNative.class.getName()).log(System.Logger.Level.INFO, loadSummary());
    return null;
  }

  /**
   * The one line logged at load: kernel variant, build target and the CPU topology, e.g.
   * {@code Trident native: kernels=avx512 build=generic cpus=2 cores=2 smt=1 packages=1 ...}.
   */
  static String loadSummary() {
    String topology;
    try {
      topology = CpuTopology.currentLoaded().summary();
    } catch (RuntimeException unreadable) {  // no /sys (a sandbox): the kernels still work
      topology = "topology=unreadable (" + unreadable.getMessage() + ")";
    }
    return "Trident native: kernels=" + NativeRuntime.simd_variant_name()
        + " build=" + NativeRuntime.build_target_name() + " " + topology;
  }

  /** True when the native kernels loaded and can be called. */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why the native library did not load, or null when it did. */
  public static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /** Throws a {@link NativeUnavailableException} saying what to do when the library did not load. */
  public static void ensureAvailability() {
    if (UNAVAILABILITY_CAUSE != null) {
      throw new NativeUnavailableException(
          "Trident's native library did not load: " + UNAVAILABILITY_CAUSE
              + ". It needs Linux x86-64 with libgomp1 and libopenblas0 installed"
              + " (apt-get install libgomp1 libopenblas0-pthread); run scripts/install-deps.sh.",
          UNAVAILABILITY_CAUSE);
    }
  }

  /** The x86 target the library was built for: "generic", "avx2" or "avx512". */
  public static String buildTarget() {
    ensureAvailability();
    return NativeRuntime.build_target_name();
  }

  /** The line logged at load: kernel variant, build target, CPU topology. */
  public static String describe() {
    ensureAvailability();
    return loadSummary();
  }

  /** Distance-kernel variant chosen at load: "avx512", "avx2" or "scalar". */
  public static String simdVariant() {
    ensureAvailability();
    return NativeRuntime.simd_variant_name();
  }

  /**
   * Prints whether the native library loads here and which kernels it chose; exits 1 when it
   * does not load. {@code java -cp trident-native.jar:javacpp.jar io.trident.nativelib.TridentNative}
   */
  public static void main(String[] args) {
    if (isAvailable()) {
      System.out.println("available=true variant=" + simdVariant() + " build=" + buildTarget());
      System.out.println(describe());
    } else {
      System.out.println("available=false cause=" + UNAVAILABILITY_CAUSE);
      System.exit(1);
    }
  }
}
