/**
 * Trident's typed exceptions. Every failure a user can cause or observe is a subclass of
 * {@link io.trident.error.TridentException}; a bare RuntimeException from Trident is a bug.
 */
package io.trident.error;
