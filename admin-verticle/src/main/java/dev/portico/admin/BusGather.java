package dev.portico.admin;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Asks every node over the event bus and gathers their answers: the ask is published once with a
 * fresh reply address under {@code replyPrefix}; answers are collected for {@code windowMs} (the
 * bus gives no count of who will answer) and at most {@code max} of them are kept.
 */
final class BusGather {

  private BusGather() {
  }

  static Future<JsonArray> gather(Vertx vertx, String address, String replyPrefix, JsonObject ask, long windowMs,
      int max) {
    String replyTo = replyPrefix + UUID.randomUUID();
    JsonArray answers = new JsonArray();
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(replyTo, message -> {
      if (answers.size() < max && message.body() instanceof JsonObject answer) {
        answers.add(answer);
      }
    });
    Promise<JsonArray> gathered = Promise.promise();
    consumer.completion().onComplete(registered -> {
      vertx.eventBus().publish(address, ask.copy().put("replyTo", replyTo));
      vertx.setTimer(windowMs, tick -> consumer.unregister().onComplete(done -> gathered.complete(answers)));
    });
    return gathered.future();
  }
}
