/**
 * The whole native surface of Trident: JavaCPP mapping classes of the C++ facade in
 * {@code native/include/trident}. Internal — other modules call these only through their own
 * checked wrappers, which validate every argument in Java before crossing JNI.
 *
 * <p>Errors: a facade function throws {@code trident::Error}; JavaCPP rethrows it as a
 * {@link java.lang.RuntimeException} whose message starts with a "[KIND] " tag, and
 * {@link io.trident.internal.nativelib.NativeErrors#translate} is the one place that turns it into a
 * typed {@link io.trident.error.TridentException}.
 *
 * <p>Loading: the first use of any class here extracts the .so files from the jar (JavaCPP
 * Loader cache) and loads them; {@link io.trident.nativelib.TridentNative} reports whether that
 * worked and why not.
 */
package io.trident.internal.nativelib;
