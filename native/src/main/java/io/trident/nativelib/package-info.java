/**
 * Public face of Trident's native library for the other modules and for users: whether it loaded
 * ({@link io.trident.nativelib.TridentNative}, which logs one line at load with the kernel variant,
 * the build target and the CPU topology), the durable-file kernel under the journal
 * ({@link io.trident.nativelib.GroupCommitFile}, {@link io.trident.nativelib.IoUringAvailability}),
 * and host fit: the CPU topology read from sysfs ({@link io.trident.nativelib.CpuTopology}) and
 * thread placement ({@link io.trident.nativelib.ThreadPlacement}: CPU affinity and preferred NUMA
 * memory node of a thread, a logged no-op where the host or the kernel does not allow it).
 *
 * <p>Every class checks its arguments in Java before crossing JNI and throws typed
 * {@link io.trident.error.TridentException}s. Thread rules are stated per class; placement acts
 * on the calling thread only.
 */
package io.trident.nativelib;
