package io.trident.raftlog;

import java.io.IOException;

/** A {@link CycleFileSyncer} passing every call to another; tests override what they watch. */
class ForwardingCycleFileSyncer implements CycleFileSyncer {
  private final CycleFileSyncer delegate;

  ForwardingCycleFileSyncer(CycleFileSyncer delegate) {
    this.delegate = delegate;
  }

  @Override
  public void sync() throws IOException {
    delegate.sync();
  }

  @Override
  public void syncAppended(long appendedFrom) throws IOException {
    delegate.syncAppended(appendedFrom);
  }

  @Override
  public void prepareAhead(long appendPosition) throws IOException {
    delegate.prepareAhead(appendPosition);
  }

  @Override
  public void beforeWrite(long recordBytes) throws IOException {
    delegate.beforeWrite(recordBytes);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
