package dev.portico.lookup;

import java.util.function.Supplier;

/**
 * The literal children of one tree node: an open-addressing hash table (linear probing,
 * power-of-two capacity, at most three quarters full) from label to child, looked up by a range
 * of the host name itself, so a match hashes and compares characters in place and allocates
 * nothing. Hashes are {@link String#hashCode}'s, so a stored label's cached hash is reused.
 *
 * <p>Trade-off against {@code HashMap<String, V>}: no entry objects (two array slots a label
 * instead of a 32-byte node plus a slot), no substring per label matched; removal shifts the
 * probe run back instead of leaving tombstones, so lookups never slow down with churn.
 */
final class LabelTable<V> {

  private String[] keys = new String[2];
  private Object[] values = new Object[2];
  private int size;

  /** The child for {@code host[start, end)}, or {@code null}. */
  @SuppressWarnings("unchecked")
  V get(String host, int start, int end) {
    int length = end - start;
    int hash = 0;
    for (int i = start; i < end; i++) {
      hash = 31 * hash + host.charAt(i);
    }
    int mask = keys.length - 1;
    for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
      String key = keys[slot];
      if (key == null) {
        return null;
      }
      if (key.length() == length && key.regionMatches(0, host, start, length)) {
        return (V) values[slot];
      }
    }
  }

  V get(String label) {
    return get(label, 0, label.length());
  }

  @SuppressWarnings("unchecked")
  V computeIfAbsent(String label, Supplier<V> create) {
    int slot = slotOf(label);
    if (slot >= 0) {
      return (V) values[slot];
    }
    if ((size + 1) * 4 > keys.length * 3) {
      resize(keys.length * 2);
    }
    V value = create.get();
    insert(label, value);
    size++;
    return value;
  }

  void remove(String label) {
    int hole = slotOf(label);
    if (hole < 0) {
      return;
    }
    keys[hole] = null;
    values[hole] = null;
    size--;
    int mask = keys.length - 1;
    // Backward-shift deletion: pull later members of the probe run into the hole when their
    // home slot does not lie cyclically in (hole, slot].
    for (int slot = (hole + 1) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
      int home = spread(keys[slot].hashCode()) & mask;
      boolean stays = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
      if (!stays) {
        keys[hole] = keys[slot];
        values[hole] = values[slot];
        keys[slot] = null;
        values[slot] = null;
        hole = slot;
      }
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  private int slotOf(String label) {
    int mask = keys.length - 1;
    for (int slot = spread(label.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      String key = keys[slot];
      if (key == null) {
        return -1;
      }
      if (key.equals(label)) {
        return slot;
      }
    }
  }

  private void insert(String label, Object value) {
    int mask = keys.length - 1;
    int slot = spread(label.hashCode()) & mask;
    while (keys[slot] != null) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = label;
    values[slot] = value;
  }

  private void resize(int capacity) {
    String[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new String[capacity];
    values = new Object[capacity];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
