package dev.portico.lookup;

/**
 * The states of {@code **} nodes a tree walk has explored: the node with the end of the host name
 * still to match. The walk never gains from exploring one twice (the first time found nothing, or
 * already listed what it found), and without this memory a pattern such as
 * {@code q.**.a.**.a.**.a.**} makes it try every way of splitting a long name over its {@code **}
 * labels, exponentially many.
 *
 * <p>An open-addressing hash set (linear probing, at most half full) keyed by node identity
 * and end; a walk creates one only below a {@code **} with something under it, so the common
 * names match without allocating.
 */
final class ExploredStates {

  private Object[] nodes = new Object[64];
  private int[] ends = new int[64];
  private int size;

  /** Records the state; {@code false} if it was already explored. */
  boolean add(Object node, int end) {
    if ((size + 1) * 2 > nodes.length) {
      grow();
    }
    int mask = nodes.length - 1;
    for (int slot = hash(node, end) & mask; ; slot = (slot + 1) & mask) {
      if (nodes[slot] == null) {
        nodes[slot] = node;
        ends[slot] = end;
        size++;
        return true;
      }
      if (nodes[slot] == node && ends[slot] == end) {
        return false;
      }
    }
  }

  private void grow() {
    Object[] oldNodes = nodes;
    int[] oldEnds = ends;
    nodes = new Object[oldNodes.length * 2];
    ends = new int[oldNodes.length * 2];
    int mask = nodes.length - 1;
    for (int i = 0; i < oldNodes.length; i++) {
      if (oldNodes[i] != null) {
        int slot = hash(oldNodes[i], oldEnds[i]) & mask;
        while (nodes[slot] != null) {
          slot = (slot + 1) & mask;
        }
        nodes[slot] = oldNodes[i];
        ends[slot] = oldEnds[i];
      }
    }
  }

  private static int hash(Object node, int end) {
    int h = System.identityHashCode(node) * 31 + end;
    return h ^ (h >>> 16);
  }
}
