package dev.portico.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging from the configuration, on top of {@code logback.xml}: the log format (text or
 * JSON lines) and the access log — one JSON line per request on the {@code portico.access}
 * logger — to stdout or to {@code access.log} under the data directory (rolled daily and at
 * 100 MB, 14 days kept). The edge hands access lines in batches to its own writer thread
 * (bounded; when the output falls behind, lines are dropped and counted rather than slowing
 * traffic), which calls this appender: event loops never wait on output.
 */
final class Logging {

  static final String ACCESS_LOGGER = "portico.access";
  private static final String ACCESS_APPENDER = "portico-access";

  private Logging() {
  }

  static void configure(PorticoConfig config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    if (config.jsonLogs()) {
      root.iteratorForAppenders().forEachRemaining(appender -> {
        if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
          console.stop();
          console.setEncoder(jsonEncoder(context));
          console.start();
        }
      });
    }
    Logger access = context.getLogger(ACCESS_LOGGER);
    access.setAdditive(false);
    if (access.getAppender(ACCESS_APPENDER) != null) {
      return;  // another node in this JVM set it up already
    }
    if (config.accessLog() == AccessLog.OFF) {
      access.setLevel(Level.OFF);
      return;
    }
    OutputStreamAppender<ILoggingEvent> output = config.accessLog() == AccessLog.FILE
        ? file(context, config.dataDir().resolve("access.log").toString()) : new ConsoleAppender<>();
    output.setContext(context);
    output.setName(ACCESS_APPENDER);
    output.setEncoder(messageOnly(context));
    output.start();
    access.setLevel(Level.INFO);
    access.addAppender(output);
  }

  private static RollingFileAppender<ILoggingEvent> file(LoggerContext context, String path) {
    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setFile(path);
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
    policy.setContext(context);
    policy.setParent(file);
    policy.setFileNamePattern(path + ".%d{yyyy-MM-dd}.%i.gz");
    policy.setMaxFileSize(FileSize.valueOf("100MB"));
    policy.setMaxHistory(14);
    policy.start();
    file.setRollingPolicy(policy);
    return file;
  }

  private static Encoder<ILoggingEvent> messageOnly(LoggerContext context) {
    RawMessageEncoder encoder = new RawMessageEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }
}
