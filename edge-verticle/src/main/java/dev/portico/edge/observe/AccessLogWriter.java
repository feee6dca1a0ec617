package dev.portico.edge.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

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
  private static final Logger PROBLEMS = LoggerFactory.getLogger(AccessLogWriter.class);
  private static final BlockingQueue<String> QUEUE = new ArrayBlockingQueue<>(MAX_BATCHES);
  private static final AtomicLong DROPPED = new AtomicLong();
  private static Thread writer;

  private AccessLogWriter() {
  }

  /** Queues a batch of {@code lines} lines, each ending with a line break; drops it when the queue is full. */
  static void offer(String batch, int lines) {
    startOnce();
    if (!QUEUE.offer(batch)) {
      DROPPED.addAndGet(lines);
    }
  }

  /** Lines dropped because the output fell behind, since the process started. */
  static long droppedLines() {
    return DROPPED.get();
  }

  private static synchronized void startOnce() {
    if (writer == null) {
      writer = new Thread(AccessLogWriter::run, "portico-access-log");
      writer.setDaemon(true);
      writer.start();
    }
  }

  private static void run() {
    while (true) {
      try {
        LOG.info(QUEUE.take());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        PROBLEMS.warn("an access log batch could not be written: {}", e.toString());
      }
    }
  }
}
