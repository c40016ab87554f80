package io.trident.nativelib;

/** The whole {@link GroupCommitFileTest} suite on the forced blocking pwritev + fdatasync path. */
class GroupCommitFileFallbackTest extends GroupCommitFileTest {
  @Override
  boolean forceFallback() {
    return true;
  }
}
