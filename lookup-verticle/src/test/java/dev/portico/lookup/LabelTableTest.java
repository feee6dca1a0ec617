package dev.portico.lookup;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class LabelTableTest {

  @Test
  void findsLabelsByTheirRangeInAHostName() {
    LabelTable<String> table = new LabelTable<>();
    table.computeIfAbsent("example", () -> "e");
    table.computeIfAbsent("com", () -> "c");
    assertEquals("e", table.get("shop.example.com", 5, 12));
    assertEquals("c", table.get("shop.example.com", 13, 16));
    assertNull(table.get("shop.example.com", 0, 4));
    assertNull(table.get("shop.exampl.com", 5, 11));
    assertSame(table.get("com"), table.computeIfAbsent("com", () -> "other"));
  }

  /** Random puts and removes with many collisions (small alphabet), checked against a HashMap. */
  @Test
  void behavesLikeAMapUnderChurn() {
    Random random = new Random(42);
    LabelTable<Integer> table = new LabelTable<>();
    Map<String, Integer> reference = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      String label = Integer.toString(random.nextInt(3_000), 7);
      if (random.nextInt(3) == 0) {
        table.remove(label);
        reference.remove(label);
      } else {
        int value = step;
        assertEquals(reference.computeIfAbsent(label, l -> value), table.computeIfAbsent(label, () -> value));
      }
      String probe = Integer.toString(random.nextInt(3_000), 7);
      String host = "x." + probe + ".y";
      assertEquals(reference.get(probe), table.get(host, 2, 2 + probe.length()), "after step " + step);
    }
    assertEquals(reference.isEmpty(), table.isEmpty());
    reference.keySet().forEach(label -> assertEquals(reference.get(label), table.get(label)));
  }
}
