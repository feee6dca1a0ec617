package dev.portico.edge.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes the access log off the event loops: the edge instances of a process hand it batches of
 * lines, one thread passes them to the {@code portico.access} logger (which the launcher points
 * at stdout or a file). The queue holds at most {@link #MAX_BATCHES} batches (a few MB): when the
 * output cannot keep up, further batches are dropped and their lines counted in
 * {@link #droppedLines}, so a slow disk or a full pipe never slows traffic or grows the heap.
 */
final class AccessLogWriter {

  static final int MAX_BATCHES = 64;
  private static final Logger LOG = LoggerFactory.getLogger("portico.access");
  /** Its own troubles go to another logger: the access log's stream holds JSON lines only. */
  private static final Logger TROUBLE = LoggerFactory.getLogger(AccessLogWriter.class);
  /** The process's writer: every edge instance's batches go through it. */
  static final AccessLogWriter PROCESS = new AccessLogWriter(batch -> batch.logTo(LOG), MAX_BATCHES);

  private final Consumer<AccessLogBatch> output;
  private final BlockingQueue<AccessLogBatch> queue;
  private final AtomicLong dropped = new AtomicLong();
  private Thread writer;

  /** A writer of batches to {@code output} holding at most {@code maxBatches} that wait for it. */
  AccessLogWriter(Consumer<AccessLogBatch> output, int maxBatches) {
    this.output = output;
    this.queue = new ArrayBlockingQueue<>(maxBatches);
  }

  /** Queues a batch of {@code lines} lines, each ending with a line break; drops it when the queue is full. */
  void offer(AccessLogBatch batch, int lines) {
    startOnce();
    if (!queue.offer(batch)) {
      dropped.addAndGet(lines);
    }
  }

  /** Lines dropped because the output fell behind, since the writer started. */
  long droppedLines() {
    return dropped.get();
  }

  /**
   * Waits (blocking, at most {@code maxMillis}) until the queued batches were taken by the
   * writer: an edge stopping hands over its last lines before the process exits.
   */
  void awaitWritten(long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    while (!queue.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(5);
    }
  }

  private synchronized void startOnce() {
    if (writer == null) {
      writer = new Thread(this::run, "portico-access-log");
      writer.setDaemon(true);
      writer.start();
    }
  }

  private void run() {
    while (true) {
      try {
        output.accept(queue.take());
      } catch (InterruptedException e) {
        return;
      } catch (Throwable e) {  // whatever it is, the next batch still gets written
        TROUBLE.warn("an access log batch could not be written: {}", e.toString());
      }
    }
  }
}
