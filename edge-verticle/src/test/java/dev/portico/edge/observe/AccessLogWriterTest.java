package dev.portico.edge.observe;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's bound: an output that falls behind costs dropped (and counted) lines, never a growing queue. */
class AccessLogWriterTest {

  private static AccessLogBatch batch(String lines) {
    return new AccessLogBatch(lines.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void batchesBeyondTheQueueAreDroppedAndTheirLinesCounted() throws Exception {
    CountDownLatch firstTaken = new CountDownLatch(1);
    CountDownLatch outputFree = new CountDownLatch(1);
    List<String> written = Collections.synchronizedList(new ArrayList<>());
    AccessLogWriter writer = new AccessLogWriter(batch -> {
      firstTaken.countDown();
      try {
        outputFree.await();  // a stuck stdout or disk
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.add(batch.toString());
    }, 2);

    writer.offer(batch("a\n"), 1);
    assertTrue(firstTaken.await(30, TimeUnit.SECONDS), "the writer took the first batch");
    writer.offer(batch("b\nb\n"), 2);
    writer.offer(batch("c\n"), 1);
    writer.offer(batch("d\nd\nd\n"), 3);  // the queue holds two: dropped
    writer.offer(batch("e\n"), 1);
    assertEquals(4, writer.droppedLines());

    outputFree.countDown();
    writer.awaitWritten(30_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (written.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(List.of("a\n", "b\nb\n", "c\n"), written);
    writer.offer(batch("f\n"), 1);  // room again
    writer.awaitWritten(30_000);
    assertEquals(4, writer.droppedLines());
  }
}
