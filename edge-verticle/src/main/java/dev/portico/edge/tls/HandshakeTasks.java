package dev.portico.edge.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;
import java.util.concurrent.Executor;

/**
 * Where BoringSSL's certificate callback (a delegated task that asks the {@link SniKeyManager})
 * runs: on the connection's event loop when the certificate is in memory, as for nearly every
 * handshake, else on the worker pool Vert.x hands the TLS handler (a certificate to read from
 * Redis, parse or issue on demand: the task may wait). Handing every handshake's task to a
 * worker and back cost about 300 µs of CPU per full handshake here (thread wake-ups and
 * switches), 40 % of the handshake. Run inline, the task still resumes the handshake through
 * the event loop's task queue (Netty's {@code SslTasksRunner}), so nothing re-enters the decoder.
 */
final class HandshakeTasks extends DelegatingSslContext {

  private final SniKeyManager keys;

  HandshakeTasks(SslContext openSsl, SniKeyManager keys) {
    super(openSsl);
    this.keys = keys;
  }

  @Override
  protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor workers) {
    CertificateFirst tasks = new CertificateFirst(keys, workers);
    return tasks.handling(super.newHandler(alloc, startTls, tasks));
  }

  @Override
  protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls,
      Executor workers) {
    CertificateFirst tasks = new CertificateFirst(keys, workers);
    return tasks.handling(super.newHandler(alloc, peerHost, peerPort, startTls, tasks));
  }

  @Override
  protected void initEngine(SSLEngine engine) {
    // nothing to add: Vert.x's own wrapper configures the engine
  }

  /** The delegated-task executor of one TLS handler: its event loop when the key manager answers at once. */
  private static final class CertificateFirst implements Executor {
    private final SniKeyManager keys;
    private final Executor workers;
    /** Set once the handler exists, before its handshake starts; only its event loop uses it. */
    private SSLEngine engine;

    CertificateFirst(SniKeyManager keys, Executor workers) {
      this.keys = keys;
      this.workers = workers;
    }

    SslHandler handling(SslHandler handler) {
      engine = handler.engine();
      return handler;
    }

    @Override
    public void execute(Runnable task) {
      if (engine != null && keys.answersAtOnce(engine)) {
        task.run();
      } else {
        workers.execute(task);
      }
    }
  }
}
