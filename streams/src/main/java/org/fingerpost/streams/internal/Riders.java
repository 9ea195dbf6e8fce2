package org.fingerpost.streams.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The riders of one {@link SharedUpstream}, and how a chunk is offered to them; each rider added is
 * attached to that upstream, each one removed detached from it.
 *
 * <p><b>Threads.</b> Not thread-safe: every call is made under the lock of the upstream that owns the
 * set (and, for {@link #moveTo}, of the upstream the riders move to). It allocates nothing per chunk
 * beyond the list of riders that fall behind, as the upstream did before.
 */
final class Riders {
  private final List<Rider> list = new ArrayList<>();

  void add(Rider rider, SharedUpstream upstream) {
    list.add(rider);
    rider.attach(upstream);
  }

  /** @return false when {@code rider} was not in the set */
  boolean remove(Rider rider, SharedUpstream upstream) {
    if (!list.remove(rider)) {
      return false;
    }
    rider.detach(upstream);
    return true;
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  int size() {
    return list.size();
  }

  /** The single rider, when there is exactly one and its queue lets it borrow the next chunk; else null. */
  Rider soleBorrower() {
    return list.size() == 1 && list.get(0).queue().tryBorrow() ? list.get(0) : null;
  }

  /**
   * Queues {@code chunk} for every rider with room and adds those to {@code targets}. The riders
   * without room while others had it fall behind: they are removed (not yet detached) and returned.
   * When none had room, all keep it (one chunk over their buffer), all are targets, none is returned:
   * the upstream then waits for them, as an unshared stream would; a rider is only left behind by
   * faster ones.
   */
  List<Rider> offer(byte[] chunk, List<Rider> targets) {
    List<Rider> behind = new ArrayList<>(0);
    for (Rider r : list) {
      (r.queue().add(chunk, true) ? targets : behind).add(r);
    }
    if (targets.isEmpty()) {
      for (int i = 0; i < behind.size(); i++) {
        behind.get(i).queue().add(chunk, false);
        targets.add(behind.get(i));
      }
      return List.of();
    }
    list.removeAll(behind);
    return behind;
  }

  /** Removes every rider, detached from {@code upstream}, and returns them. */
  List<Rider> detachAll(SharedUpstream upstream) {
    List<Rider> all = new ArrayList<>(list);
    all.forEach(r -> r.detach(upstream));
    list.clear();
    return all;
  }

  /**
   * Moves every rider into {@code to}, attached to {@code toUpstream}, each skipping {@code gapBytes}
   * there; returns them.
   */
  List<Rider> moveTo(Riders to, SharedUpstream toUpstream, long gapBytes) {
    List<Rider> moved = new ArrayList<>(list);
    for (Rider r : moved) {
      r.queue().skip(gapBytes);
      to.add(r, toUpstream);
    }
    list.clear();
    return moved;
  }
}
