package dev.portico.lookup;

import dev.portico.contract.DomainPattern;

import java.util.ArrayList;
import java.util.List;

/**
 * The wildcard domain tree: patterns stored label by label from the right (the TLD at the root),
 * matched the same way. At each label a literal child is tried before {@code *}, and {@code *}
 * before {@code **}, backtracking when a branch fails; so an exact name beats every wildcard and a
 * literal label nearer the right beats one further left. {@code **} takes one or more labels,
 * fewest first.
 *
 * <p>A match walks one node per label and allocates nothing: literal children are found by the
 * label's character range in the host name ({@link LabelTable}). Below a {@code **} with more
 * pattern under it, the walk remembers the states it has explored ({@link ExploredStates}) and
 * never explores one twice, so a match costs at most (nodes under it) × (labels) × (labels) steps
 * however many {@code **} a pattern has, instead of one try per way of splitting the name.
 * Not thread-safe: the lookup verticle owns its tree on its event loop.
 */
public final class DomainTree<V> {

  /** A stored pattern and its value; the result of a match. */
  public record Entry<V>(String pattern, V value) {
  }

  private static final class Node<V> {
    LabelTable<Node<V>> literals;
    Node<V> oneLabel;
    Node<V> anyLabels;
    Entry<V> entry;

    boolean isEmpty() {
      return entry == null && isLeaf();
    }

    boolean isLeaf() {
      return oneLabel == null && anyLabels == null && (literals == null || literals.isEmpty());
    }
  }

  private final Node<V> root = new Node<>();
  private int size;
  /** Calls and splits tried by the last match: what bounds a match's cost (the fuzz test checks it). */
  private int steps;

  /** Stores {@code value} for {@code pattern}; returns the value it replaced, or {@code null}. */
  public V put(DomainPattern pattern, V value) {
    Node<V> node = root;
    String[] labels = pattern.labels();
    for (int i = labels.length - 1; i >= 0; i--) {
      node = child(node, labels[i]);
    }
    Entry<V> previous = node.entry;
    node.entry = new Entry<>(pattern.text(), value);
    if (previous == null) {
      size++;
      return null;
    }
    return previous.value();
  }

  private static <V> Node<V> child(Node<V> node, String label) {
    switch (label) {
      case DomainPattern.ONE_LABEL:
        return node.oneLabel != null ? node.oneLabel : (node.oneLabel = new Node<>());
      case DomainPattern.ANY_LABELS:
        return node.anyLabels != null ? node.anyLabels : (node.anyLabels = new Node<>());
      default:
        if (node.literals == null) {
          node.literals = new LabelTable<>();
        }
        return node.literals.computeIfAbsent(label, Node::new);
    }
  }

  /** Removes {@code pattern}; returns its value, or {@code null} if it was not stored. */
  public V remove(DomainPattern pattern) {
    String[] labels = pattern.labels();
    List<Node<V>> path = new ArrayList<>(labels.length + 1);
    Node<V> node = root;
    path.add(node);
    for (int i = labels.length - 1; i >= 0 && node != null; i--) {
      node = switch (labels[i]) {
        case DomainPattern.ONE_LABEL -> node.oneLabel;
        case DomainPattern.ANY_LABELS -> node.anyLabels;
        default -> node.literals == null ? null : node.literals.get(labels[i]);
      };
      path.add(node);
    }
    if (node == null || node.entry == null) {
      return null;
    }
    V value = node.entry.value();
    node.entry = null;
    size--;
    prune(path, labels);
    return value;
  }

  /** Drops the nodes left empty by a removal, from the leaf up. */
  private void prune(List<Node<V>> path, String[] labels) {
    for (int depth = path.size() - 1; depth > 0 && path.get(depth).isEmpty(); depth--) {
      Node<V> parent = path.get(depth - 1);
      String label = labels[labels.length - depth];
      switch (label) {
        case DomainPattern.ONE_LABEL -> parent.oneLabel = null;
        case DomainPattern.ANY_LABELS -> parent.anyLabels = null;
        default -> parent.literals.remove(label);
      }
    }
  }

  /**
   * The entry of the pattern that serves a canonical host name ({@code HostName.canonical}), or
   * {@code null} if none does.
   */
  public Entry<V> match(String host) {
    steps = 0;
    return match(root, host, host.length(), null, null);
  }

  /**
   * Every entry whose pattern matches a canonical host name, the one {@link #match} picks first
   * and then the others in the order they would win if it were gone.
   */
  public List<Entry<V>> matchAll(String host) {
    List<Entry<V>> all = new ArrayList<>();
    steps = 0;
    match(root, host, host.length(), all, null);
    return all;
  }

  /** The states visited and splits tried by the last {@link #match} or {@link #matchAll}. */
  int lastSteps() {
    return steps;
  }

  /**
   * Matches {@code host[0, end)} below {@code node}; {@code end < 0} means no label is left.
   * With {@code all == null} it returns the first match in priority order; otherwise it returns
   * {@code null} after adding every match to {@code all}, in that order (one walk, two uses).
   * Only a {@code **} child can be reached in one state from several states of its parent (one
   * per split of the name), so only those states go into {@code explored}, where the loop skips
   * one explored before: it found nothing then (else the walk would have ended), or added what it
   * found to {@code all} already. Any other state has one parent state, explored at most once.
   */
  private Entry<V> match(Node<V> node, String host, int end, List<Entry<V>> all, ExploredStates explored) {
    steps++;
    if (end < 0) {
      if (all == null || node.entry == null) {
        return node.entry;
      }
      if (!all.contains(node.entry)) {
        all.add(node.entry);
      }
      return null;
    }
    int start = host.lastIndexOf('.', end - 1) + 1;
    Entry<V> found;
    if (node.literals != null) {
      Node<V> literal = node.literals.get(host, start, end);
      if (literal != null && (found = match(literal, host, start - 1, all, explored)) != null) {
        return found;
      }
    }
    if (node.oneLabel != null && (found = match(node.oneLabel, host, start - 1, all, explored)) != null) {
      return found;
    }
    if (node.anyLabels != null) {
      if (node.anyLabels.isLeaf()) {
        // a leftmost '**' (as in **.example.com) can only take every label left
        return match(node.anyLabels, host, -1, all, explored);
      }
      // each split of the name over this '**' reaches the states below it again: remember them
      ExploredStates below = explored == null ? new ExploredStates() : explored;
      for (int labelStart = start; ; labelStart = host.lastIndexOf('.', labelStart - 2) + 1) {
        steps++;
        if ((below == null || below.add(node.anyLabels, labelStart - 1))
            && (found = match(node.anyLabels, host, labelStart - 1, all, below)) != null) {
          return found;
        }
        if (labelStart == 0) {
          break;
        }
      }
    }
    return null;
  }

  public int size() {
    return size;
  }
}
